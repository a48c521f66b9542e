#!/usr/bin/env python3
"""Rewrite a pack's files/openapi.yaml.tmpl from the applications it generates.

Every generated project carries openapi.yaml, and its own test fails when the file and the
served spec differ. The spec depends only on the auth mode and RBAC (not on the database), so
the template holds one block per (auth, rbac) pair, each the verbatim output of that variant's
`make openapi` with the title and description turned back into template fields.

Run after any change to routes, schemas or error documentation (`make openapi-template`):
it builds scaffold, generates each variant on SQLite in a temporary directory, exports its spec
with uv, and writes the template. Needs go and uv.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE, DESCRIPTION = "Openapi Template", "Placeholder description for the OpenAPI template."


def pack_auth_modes(pack: str) -> list[str]:
    out = subprocess.run(
        ["go", "run", "./cmd/scaffold", "list", "--json"], cwd=ROOT, check=True,
        capture_output=True, text=True,
    ).stdout
    for framework in json.loads(out)["frameworks"]:
        if framework["name"] == pack:
            return [v["name"] for v in framework["options"]["auth"]["values"]]
    sys.exit(f"no pack {pack!r}")


def export(binary: Path, work: Path, pack: str, auth: str, rbac: bool) -> str:
    out = work / f"{auth}-{rbac}"
    subprocess.run(
        [str(binary), "new", "openapi-template", "--yes", "--no-git", "--output", str(out),
         "--framework", pack, "--database", "sqlite", "--auth", auth,
         "--rbac" if rbac else "--no-rbac", "--description", DESCRIPTION],
        check=True, capture_output=True,
    )
    project = out / "openapi-template"
    env = dict(os.environ, UV_PYTHON_DOWNLOADS="never")
    subprocess.run(["uv", "sync", "-q"], cwd=project, check=True, env=env)
    subprocess.run(["uv", "run", "python", "scripts/export_openapi.py"], cwd=project, check=True,
                   env=env, capture_output=True)
    text = (project / "openapi.yaml").read_text(encoding="utf-8")
    for literal, field in ((f"  title: {TITLE}\n", "  title: {{ .Title | toJson }}\n"),
                           (f"  description: {DESCRIPTION}\n", "  description: {{ .Description | toJson }}\n")):
        if literal not in text:
            sys.exit(f"{auth}/{rbac}: {literal.strip()!r} not found in the exported spec")
        text = text.replace(literal, field, 1)
    if "{{" in text.replace("{{ .Title | toJson }}", "").replace("{{ .Description | toJson }}", ""):
        sys.exit(f"{auth}/{rbac}: the spec contains '{{{{', which text/template would read")
    return text


def main() -> int:
    pack = sys.argv[1] if len(sys.argv) > 1 else "fastapi"
    target = ROOT / "templates" / pack / "files" / "openapi.yaml.tmpl"
    modes = pack_auth_modes(pack)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        binary = work / "scaffold"
        subprocess.run(["go", "build", "-o", str(binary), "./cmd/scaffold"], cwd=ROOT, check=True)
        blocks: list[tuple[str | None, str]] = []
        # RBAC blocks first: their conditions are the more specific ones.
        for auth in (m for m in modes if m != "none"):
            blocks.append((f'and (eq .Auth "{auth}") .RBAC', export(binary, work, pack, auth, True)))
        for auth in (m for m in modes if m != "none"):
            blocks.append((f'eq .Auth "{auth}"', export(binary, work, pack, auth, False)))
        if "none" in modes:
            blocks.append((None, export(binary, work, pack, "none", False)))
    parts = []
    for i, (cond, text) in enumerate(blocks):
        if cond is None:
            parts.append("{{ else -}}\n" if i else "{{ if true -}}\n")
        else:
            parts.append(("{{ if " if i == 0 else "{{ else if ") + cond + " -}}\n")
        parts.append(text)
    parts.append("{{ end -}}\n")
    target.write_text("".join(parts), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}: {len(blocks)} variants")
    return 0


if __name__ == "__main__":
    sys.exit(main())
