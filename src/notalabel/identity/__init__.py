"""Musical identity onboarding: describe, refine, name, confirm."""
