# Names each failed test in a step's log, one line each, so the gate's last
# lines say what failed and why without the whole log:
#   [service] test name => ./path:line:col: error: first line of the error
# An error whose first line ends in ":" (an assertion's "Expected values to
# be strictly equal:") gets its next line too, where the values are.
# Reads deno test's ERRORS section (a "name => location" line, then
# "error: ..."), cargo test's "---- name stdout ----" headers, and the
# "=== service" lines and the servers that did not start from
# scripts/test_services.sh.
/^=== / { service = "[" substr($0, 5) "] " }
/^ ERRORS $/ { in_errors = 1; next }
/^ FAILURES $/ { in_errors = 0; next }
in_errors && / => \.?\/.*:[0-9]+:[0-9]+$/ { test = $0; next }
in_errors && test != "" && /^error: / {
  failure = service test ": " substr($0, 1, 200)
  test = ""
  if (/:$/) { detail = 1; next }
  print failure
  next
}
detail && /^[[:space:]]*$/ { next }
detail {
  detail = 0
  if (/^    at /) { print failure; next }
  line = $0
  sub(/^[[:space:]]+/, "", line)
  print failure " " substr(line, 1, 200)
  next
}
/: the server did not start$/ { print }
/^---- .* stdout ----$/ { print service substr($0, 6, length($0) - 17) }
