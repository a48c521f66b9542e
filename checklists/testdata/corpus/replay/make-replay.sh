#!/bin/sh
# Rewrites the replay rounds (TestContentModelReplay): for each held-out round in rounds.txt, what
# the rules at the commit that added the round's files (before the round's fixes) extract from
# them, and the corpus files of that time, as ROUND.json. Run from anywhere in the repository;
# ROUNDS=FILE rewrites only the rounds listed in FILE (same format as rounds.txt).
set -eu
top=$(git rev-parse --show-toplevel)
out=$top/checklists/testdata/corpus/replay
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
while read -r round commit; do
	dir=$tmp/$round
	mkdir -p "$dir"
	git -C "$top" archive "$commit" go.mod go.sum checklists options | tar -x -C "$dir"
	git -C "$top" ls-tree --name-only "$commit" checklists/testdata/corpus/ | sed 's,.*/,,' |
		grep '\.md$' | grep -v '^README\.md$' >"$dir/all.txt"
	git -C "$top" show --name-status --format= "$commit" -- checklists/testdata/corpus/ |
		awk '$1 == "A" && $2 ~ /\.md$/ { sub(".*/", "", $2); print $2 }' >"$dir/round.txt"
	rm -f "$dir"/checklists/*_test.go # they need packages not archived
	cp "$out/dump_test.go" "$dir/checklists/dump_test.go"
	# From round 28 on the commit has a content model: dump what the heuristics alone extract, as the
	# rounds before the model did, and let the replay apply a model trained on the earlier files.
	if [ -f "$dir/checklists/content.go" ]; then
		sed -i 's/ParseGuidelines(f, data)/parseGuidelines(f, data, nil, nil)/' "$dir/checklists/dump_test.go"
	fi
	(cd "$dir/checklists" && go test -count=1 -run '^TestDumpReplay$' . >/dev/null)
	mv "$dir/dump.json" "$out/$round.json"
done <"${ROUNDS:-$out/rounds.txt}"
