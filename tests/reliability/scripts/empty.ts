/** The baseline for `idle.ts`: prints `Date.now()` and ends. */
console.log(Date.now());
