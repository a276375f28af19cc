"""Voice signature: enrol a voiceprint, verify a speaker, and log in by voice."""
