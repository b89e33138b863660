#!/bin/sh
# A stand-in for the user's editor ($VISUAL) in the end-to-end tests: the
# text the user would paste. "replace-with.sh SOURCE FILE" puts SOURCE's
# content in FILE, the file the console asks to edit.
src=${1:?usage: replace-with.sh SOURCE FILE}
f=${2:?usage: replace-with.sh SOURCE FILE}
cat "$src" >"$f"
