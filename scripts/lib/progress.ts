/** A progress bar on standard error for long commands (seeding, export, benchmarks). */
export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr) {
  const width = 30;
  let lastDrawn = -1;
  return {
    update(done: number, detail = "") {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const percent = Math.floor(fraction * 100);
      // Without a terminal, print a line every 10 % instead of redrawing.
      if (!stream.isTTY && percent !== 100 && Math.floor(percent / 10) === Math.floor(lastDrawn / 10)) return;
      if (percent === lastDrawn && stream.isTTY !== true) return;
      lastDrawn = percent;
      const filled = Math.round(fraction * width);
      const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
      const line = `${label} ${bar} ${String(percent).padStart(3)} % ${detail}`;
      stream.write(stream.isTTY ? `\r${line}` : `${line}\n`);
    },
    done() {
      if (stream.isTTY) stream.write("\n");
    },
  };
}
