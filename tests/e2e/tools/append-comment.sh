#!/bin/sh
# A stand-in for the user's editor ($VISUAL) in the end-to-end tests: adds
# one comment line at the end of the file it is given, numbered by how many
# it already holds, so that every edit really changes the text.
f=${1:?usage: append-comment.sh FILE}
n=$(grep -c '^# edited ' "$f")
printf '# edited %d\n' "$((n + 1))" >>"$f"
