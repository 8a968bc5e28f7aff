/**
 * This process's open file descriptors, read from `/proc/<pid>/fd` through
 * `ls` (reading `/proc/self` directly needs `--allow-all`).
 *
 * @module
 */

/** Where each open descriptor points. */
export function openDescriptors(): string[] {
  const { stdout } = new Deno.Command("ls", {
    args: ["-l", `/proc/${Deno.pid}/fd`],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  return new TextDecoder().decode(stdout).split("\n")
    .filter((line) => line.includes(" -> "))
    .map((line) => line.slice(line.indexOf(" -> ") + 4));
}

/**
 * The files this process holds open. Pipes, sockets and devices are left
 * out: Deno opens and closes those for its own work (`/dev/null` for a
 * subprocess's discarded output, such as the `ls` above).
 */
export function openFiles(): string[] {
  return openDescriptors()
    .filter((target) => target.startsWith("/") && !target.startsWith("/dev/"))
    .sort();
}
