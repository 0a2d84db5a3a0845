#!/usr/bin/env bash
# Checks that every relative link in the repository's Markdown files resolves to a file or folder inside the
# repository (anchors and http(s)/mailto links are not followed). Exit code 1 lists the broken ones.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import os, re, subprocess, sys
root = os.getcwd()
files = subprocess.run(["git", "ls-files", "*.md"], capture_output=True, text=True, check=True).stdout.split()
link = re.compile(r'\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)')
broken = []
checked = 0
for md in files:
    text = open(md, encoding="utf-8").read()
    # Links inside fenced code blocks are code, not links.
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    for target in link.findall(text):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0]
        resolved = os.path.normpath(os.path.join(os.path.dirname(md), path))
        checked += 1
        if resolved == ".." or resolved.startswith(".." + os.sep):
            broken.append(f"{md}: {target} points outside the repository")
        elif not os.path.exists(resolved):
            broken.append(f"{md}: {target} does not exist")
for line in broken:
    print(line)
print(f"links: {checked} checked, {len(broken)} broken")
sys.exit(1 if broken else 0)
PY
