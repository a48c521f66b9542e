#!/usr/bin/env python3
"""Score `scaffold review` against the hand labels in this folder.

Each label file names a public project as `# NAME VERSION (wheel|sdist ...)` or `# NAME-VERSION (...)` on its first line and
labels every finding at medium and above as `real|false CHECK PATH[:LINE] reason`. This script
fetches each artifact from PyPI with pip (cached in --cache, default ~/.cache/scaffold-review-corpus),
unpacks it, runs `scaffold review --format json` on it and compares:

  real     findings labelled real that the binary still reports
  false    findings labelled false that it still reports
  new      findings at medium and above that no label names (label them before tuning on them)
  lost     findings labelled real that it no longer reports at medium and above
  lowered  findings labelled `real-low`: real, but rated low on purpose by a rule the label
           names; they must still be reported (at any severity) and are not counted above

Usage: score.py [--cache DIR] [--jobs N] [--only NAME ...] [-v] SCAFFOLD_BINARY
Exit status 1 when a real finding is lost (a `real-low` one: no longer reported at all) or a
finding is unlabelled, so it can gate a change.
A missing .gitignore (env-file-exposed), which no wheel or sdist ships, is left out, as the README says.
"""

import argparse
import concurrent.futures as futures
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
SEVERE = {"critical", "high", "medium"}
HEADER = re.compile(
    r"^#\s*(?:(\S+?)-(\d[\w.]*)|(\S+)(?:\s+\([^)]*\))?\s+(\S+))\s+\((wheel|sdist)"
)
LABEL = re.compile(r"^(real-low|real|false)\s+(\S+)\s+(\S+?)(?::(\d+))?(?:\s|$)")


def parse(path):
    lines = path.read_text().splitlines()
    m = HEADER.match(lines[0]) if lines else None
    if not m:
        raise ValueError(f"{path.name}: first line must be '# NAME VERSION (wheel|sdist ...)'")
    labels = {}
    for n, line in enumerate(lines[1:], 2):
        if not line.strip() or line.startswith("#"):
            continue
        lm = LABEL.match(line)
        if not lm:
            raise ValueError(f"{path.name}:{n}: cannot read label: {line!r}")
        verdict, check, file, num = lm.groups()
        labels[(check, file, int(num) if num else 0)] = verdict
    name, version = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return name, version, m.group(5), labels


def fetch(name, version, kind, cache):
    """Returns the unpacked project root, downloading and unpacking once."""
    root = cache / "src" / f"{name}-{version}-{kind}"
    if (root / ".complete").exists():
        return root
    dl = cache / "dl" / f"{name}-{version}-{kind}"
    dl.mkdir(parents=True, exist_ok=True)
    if not any(dl.iterdir()):
        base = ["pip", "download", f"{name}=={version}", "--no-deps", "-q", "-d", str(dl)]
        if kind == "wheel":
            tries = [base + ["--only-binary=:all:"]] + [
                base + ["--only-binary=:all:", "--python-version", v, "--platform", p]
                for v in ("3.12", "3.13", "3.10")
                for p in ("manylinux2014_x86_64", "any")
            ]
        else:
            tries = [base + ["--no-binary=:all:"]]
        for cmd in tries:
            if subprocess.run(cmd, capture_output=True).returncode == 0 and any(dl.iterdir()):
                break
        else:
            raise RuntimeError(f"pip could not download {name}=={version} ({kind})")
    archive = next(dl.iterdir())
    tmp = root.with_suffix(".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if archive.name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as z:
            z.extractall(tmp)
    else:
        with tarfile.open(archive) as t:
            t.extractall(tmp, filter="data")
    top = list(tmp.iterdir())
    if kind == "sdist" and len(top) == 1 and top[0].is_dir():
        inner = top[0]
    else:
        inner = tmp
    shutil.rmtree(root, ignore_errors=True)
    inner.rename(root)
    shutil.rmtree(tmp, ignore_errors=True)
    (root / ".complete").touch()
    return root


def review(binary, root, kind):
    out = subprocess.run(
        [binary, "review", str(root), "--format", "json", "--fail-on", "none"],
        capture_output=True, text=True,
    )
    if out.returncode != 0:
        raise RuntimeError(f"review failed on {root}: {out.stderr.strip()}")
    found, low = set(), set()
    for f in json.loads(out.stdout).get("findings") or []:
        key = (f["check"], f["path"], f.get("line") or 0)
        if f["severity"] not in SEVERE:
            low.add(key)
            continue
        if f["check"] == "env-file-exposed" and f["path"] == ".gitignore":
            continue
        found.add(key)
    return found, low


def score(binary, path, cache):
    name, version, kind, labels = parse(path)
    found, low = review(binary, fetch(name, version, kind, cache), kind)
    r = {"file": path.name, "real": [], "false": [], "new": [], "lost": [], "lowered": []}
    for key in sorted(found):
        verdict = labels.get(key)
        if verdict == "real-low":
            verdict = "real"  # reported at medium and above again: it counts as real
        r[verdict or "new"].append(key)
    r["lost"] = sorted(k for k, v in labels.items() if v == "real" and k not in found)
    r["lost"] += sorted(k for k, v in labels.items() if v == "real-low" and k not in found and k not in low)
    r["lowered"] = sorted(k for k, v in labels.items() if v == "real-low" and k in low)
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--cache", default=os.path.expanduser("~/.cache/scaffold-review-corpus"))
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--only", nargs="*", help="label file names (without .txt) to score")
    ap.add_argument("-v", action="store_true", help="print every unlabelled and lost finding")
    args = ap.parse_args()
    cache = pathlib.Path(args.cache)
    binary = str(pathlib.Path(args.binary).resolve())
    files = sorted(HERE.glob("*.txt"))
    if args.only:
        files = [f for f in files if f.stem in set(args.only)]
    results, errors = [], []
    with futures.ThreadPoolExecutor(args.jobs) as pool:
        jobs = {pool.submit(score, binary, f, cache): f for f in files}
        for job in futures.as_completed(jobs):
            try:
                results.append(job.result())
            except Exception as e:  # one broken download must not hide the rest
                errors.append(f"{jobs[job].name}: {e}")
    results.sort(key=lambda r: r["file"])
    tot = {k: sum(len(r[k]) for r in results) for k in ("real", "false", "new", "lost", "lowered")}
    for r in results:
        if r["new"] or r["lost"] or args.v:
            print(f"{r['file']}: real {len(r['real'])} false {len(r['false'])} "
                  f"new {len(r['new'])} lost {len(r['lost'])}")
            for kind in ("new", "lost"):
                for check, file, line in r[kind]:
                    print(f"  {kind.upper()} {check} {file}:{line}")
    for e in errors:
        print("ERROR", e)
    shown = tot["real"] + tot["false"] + tot["new"]
    pct = 100 * tot["real"] / shown if shown else 0
    print(f"{len(results)} projects: {tot['real']} real of {shown} at medium and above ({pct:.1f} %), "
          f"{tot['false']} false, {tot['new']} unlabelled, {tot['lost']} real lost, "
          f"{tot['lowered']} real rated low on purpose")
    sys.exit(1 if errors or tot["new"] or tot["lost"] else 0)


if __name__ == "__main__":
    main()
