"""Runs the first ```sh block of a README section, as a newcomer would
after scripts/setup.sh, and prints what each command printed.

usage: run_readme_block.py README SECTION-TITLE BIN-DIR SOURCE-ROOT WORK-DIR

Commands run in WORK-DIR with `build/bin/` meaning BIN-DIR and `docs/`
meaning SOURCE-ROOT/docs; backslash-continued lines are joined; comments
are echoed (so FileCheck can anchor on them). A failing command fails the
script with its output."""

import os
import pathlib
import re
import subprocess
import sys

readme, title, bin_dir, root, work = sys.argv[1:]
text = pathlib.Path(readme).read_text()
section = text.split(f"## {title}\n", 1)[1]
block = section.split("```sh\n", 1)[1].split("```", 1)[0]
block = block.replace("\\\n", " ")
os.makedirs(work, exist_ok=True)
for line in block.splitlines():
    line = line.strip()
    if not line:
        continue
    if line.startswith("#"):
        print(line, flush=True)
        continue
    command = re.sub(r"(?<![\w/])build/bin/", bin_dir + "/", line)
    command = re.sub(r"(?<![\w/])docs/", root + "/docs/", command)
    print("$ " + line, flush=True)
    proc = subprocess.run(command, shell=True, cwd=work, capture_output=True,
                          text=True, timeout=300)
    sys.stdout.write(proc.stdout)
    sys.stdout.write(proc.stderr)
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {command}")
