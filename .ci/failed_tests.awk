# Names each failed test in a step's log, one line each, so the gate's last
# lines say what failed and why without the whole log:
#   [service] test name => ./path:line:col: error: first line of the error
# An error whose first line ends in ":" (an assertion's "Expected values to
# be strictly equal:") gets the values that follow: "7 !== 8", or the "+" and
# "-" lines of a diff.
# Reads deno test's ERRORS section (a "name => location" line, then
# "error: ..."), cargo test's "---- name stdout ----" headers, and the
# "=== service" lines and the servers that did not start from
# scripts/test_services.sh.
# failure: a failed test whose error line ended in ":", waiting for its
# values; printed by flush().
function flush() {
  if (failure != "") print failure
  failure = ""
  diff_lines = 0
}
/^=== / { flush(); service = "[" substr($0, 5) "] " }
/^ ERRORS $/ { in_errors = 1; next }
/^ FAILURES $/ { flush(); in_errors = 0; next }
in_errors && / => \.?\/.*:[0-9]+:[0-9]+$/ { flush(); test = $0; next }
in_errors && test != "" && /^error: / {
  failure = service test ": " substr($0, 1, 200)
  test = ""
  if (!/:$/) flush()
  next
}
failure != "" && (/^[[:space:]]*$/ || /^\+ actual - expected$/) { next }
failure != "" && /^[+-] / && diff_lines < 2 {
  failure = failure " " substr($0, 1, 100)
  diff_lines++
  next
}
failure != "" {
  if (diff_lines == 0 && !/^    at /) {
    line = $0
    sub(/^[[:space:]]+/, "", line)
    failure = failure " " substr(line, 1, 200)
  }
  flush()
  next
}
/: the server did not start$/ { print }
/^---- .* stdout ----$/ { print service substr($0, 6, length($0) - 17) }
END { flush() }
