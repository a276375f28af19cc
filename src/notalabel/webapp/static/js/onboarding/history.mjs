// Redrawing a resumed conversation from what the service kept: the artist's answers in
// order, each pattern after the answer that made it, and a short line where a name was tried.

const SERVICE_LINES = {
  accepted: '✨ Perfect! This sound represents you well.',
  declined: "No problem, let's find another name.",
};

function nameLine(data) {
  if (data.problem) return `❌ ${data.problem}`;
  if (data.available === false) return `❌ "${data.artistName}" is taken.`;
  if (data.available === true) return `🎉 "${data.artistName}" is available.`;
  return null;
}

/** What the service said after one recorded answer, in short (null: nothing to add). */
function serviceLine(entry) {
  const data = entry.processedData ?? {};
  if (entry.step === 'refinement' && data.accepted) return SERVICE_LINES.accepted;
  if (entry.step === 'naming') return nameLine(data);
  if (entry.step === 'confirmation' && data.confirmed === false) return SERVICE_LINES.declined;
  return null;
}

/** Whether a recorded answer produced a new pattern. */
function madePattern(entry) {
  const data = entry.processedData ?? {};
  if (entry.step === 'discovery') return true;
  return entry.step === 'refinement' && !data.accepted && (data.adjustments?.length ?? 0) > 0;
}

/** Replay `session` (GET /session/{id}) into `view`. */
export function replay(view, session) {
  const patterns = [...(session.patterns ?? [])];
  for (const entry of session.responses ?? []) {
    if (entry.processedData?.finalize) continue;
    view.artist(entry.input);
    if (madePattern(entry) && patterns.length) {
      view.pattern(patterns.shift(), session.musicDNA);
    }
    const line = serviceLine(entry);
    if (line) view.service(line);
  }
  // anything the transcript didn't account for still belongs on screen, in order
  for (const pattern of patterns) view.pattern(pattern, session.musicDNA);
}
