"""Run a composite action's steps (action.yml) in a shell, as the GitHub runner does.

A small stand-in for the runner, for tests that must not need GitHub: each `run` step gets its
own GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_PATH files and runs as
`bash --noprofile --norc -eo pipefail FILE` (GitHub's `shell: bash`), its outputs feed later
steps' `${{ steps.x.outputs.y }}`, a failed step skips the steps after it, and the action's outputs
are read from its `outputs:` section. `uses` steps are simulated: actions/cache/restore and
actions/cache/save against a folder standing for GitHub's cache service, and
github/codeql-action/upload-sarif by checking the file it would upload. Only the expression forms
action.yml uses are understood; any other raises, so the runner cannot quietly misread a step.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
COMPARE = re.compile(r"^(.+?)\s*(==|!=)\s*'([^']*)'$")


class UnknownExpression(Exception):
    pass


@dataclass
class Step:
    id: str
    outcome: str = "skipped"  # success, failure, skipped
    outputs: dict = field(default_factory=dict)
    code: int | None = None


@dataclass
class Result:
    outcome: str  # success or failure
    exit_code: int  # of the failing step, 0 on success
    failed_step: str | None
    outputs: dict
    steps: dict
    uses: list  # [(action, {with})] for every simulated `uses` step that ran
    log: str  # everything the run steps printed
    summary: str  # what the steps wrote to GITHUB_STEP_SUMMARY


def parse_output_file(text: str) -> dict:
    """name=value lines and name<<DELIMITER blocks, as the runner reads GITHUB_OUTPUT."""
    out, lines, i = {}, text.split("\n"), 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            value = []
            i += 1
            while i < len(lines) and lines[i] != delim:
                value.append(lines[i])
                i += 1
            out[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


class ActionRun:
    def __init__(self, action_yml: Path, inputs: dict, env: dict, workspace: Path,
                 cache_store: Path, action_repository: str = ""):
        self.path = action_yml
        self.meta = yaml.safe_load(action_yml.read_text())
        self.action_dir = action_yml.parent
        declared = self.meta.get("inputs", {})
        unknown = set(inputs) - set(declared)
        if unknown:
            raise ValueError(f"inputs not declared in {action_yml}: {sorted(unknown)}")
        self.inputs = {k: str(v.get("default", "")) for k, v in declared.items()}
        self.inputs.update({k: str(v) for k, v in inputs.items()})
        self.env = dict(env)
        self.workspace = workspace
        self.cache_store = cache_store
        self.github = {
            "action_repository": action_repository,
            "action_path": str(self.action_dir),
        }
        self.step_ids = [s.get("id", f"step{i}") for i, s in enumerate(self.meta["runs"]["steps"])]
        self.steps: dict[str, Step] = {}
        self.uses: list = []

    # -- expressions --------------------------------------------------------------------------
    def value(self, expr: str) -> str:
        parts = expr.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            if parts[1] not in self.inputs:
                raise UnknownExpression(f"inputs.{parts[1]} is not an input")
            return self.inputs[parts[1]]
        if parts[0] == "steps" and len(parts) >= 3:
            if parts[1] not in self.step_ids:
                raise UnknownExpression(f"no step with id {parts[1]}")
            step = self.steps.get(parts[1], Step(parts[1]))
            if parts[2] == "outputs" and len(parts) == 4:
                return step.outputs.get(parts[3], "")
            if parts[2] in ("outcome", "conclusion") and len(parts) == 3:
                return step.outcome
        if parts[0] == "github" and len(parts) == 2 and parts[1] in self.github:
            return self.github[parts[1]]
        raise UnknownExpression(expr)

    def condition(self, expr: str) -> bool:
        expr = EXPR.sub(lambda m: m.group(1), expr.strip())
        m = COMPARE.match(expr)
        if not m:
            raise UnknownExpression(f"if: {expr}")
        left, op, lit = m.groups()
        equal = self.value(left.strip()) == lit
        return equal if op == "==" else not equal

    def interpolate(self, text) -> str:
        return EXPR.sub(lambda m: self.value(m.group(1)), str(text))

    # -- steps --------------------------------------------------------------------------------
    def run(self) -> Result:
        log, summary = [], []
        failed: Step | None = None
        tmp = Path(tempfile.mkdtemp(prefix="action-run-"))
        path_prepend: list[str] = []
        try:
            for i, spec in enumerate(self.meta["runs"]["steps"]):
                step = Step(self.step_ids[i])
                self.steps[step.id] = step
                # a step without a status function runs only while every step before succeeded
                if failed is not None:
                    continue
                if "if" in spec and not self.condition(str(spec["if"])):
                    continue
                if "run" in spec:
                    if spec.get("shell") != "bash":
                        raise UnknownExpression(f"step {step.id}: shell {spec.get('shell')!r}")
                    files = {n: tmp / f"{i}-{n}" for n in ("output", "summary", "path", "env")}
                    for f in files.values():
                        f.write_text("")
                    script = tmp / f"{i}.sh"
                    script.write_text(self.interpolate(spec["run"]) + "\n")
                    env = dict(self.env)
                    env["PATH"] = os.pathsep.join(path_prepend + [env.get("PATH", "")])
                    env.update({
                        "GITHUB_ACTION_PATH": str(self.action_dir),
                        "GITHUB_OUTPUT": str(files["output"]),
                        "GITHUB_STEP_SUMMARY": str(files["summary"]),
                        "GITHUB_PATH": str(files["path"]),
                        "GITHUB_ENV": str(files["env"]),
                        "GITHUB_WORKSPACE": str(self.workspace),
                        "GITHUB_ACTIONS": "true",
                        "CI": "true",
                    })
                    for k, v in (spec.get("env") or {}).items():
                        env[k] = self.interpolate(v)
                    p = subprocess.run(
                        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                        cwd=self.workspace, env=env, stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                    log.append(f"--- step {step.id} (exit {p.returncode})\n{p.stdout}")
                    step.code = p.returncode
                    step.outputs = parse_output_file(files["output"].read_text())
                    summary.append(files["summary"].read_text())
                    path_prepend = [
                        line for line in files["path"].read_text().splitlines() if line
                    ][::-1] + path_prepend
                    step.outcome = "success" if p.returncode == 0 else "failure"
                    if p.returncode != 0:
                        failed = step
                elif "uses" in spec:
                    step.outcome = "success"
                    with_ = {k: self.interpolate(v) for k, v in (spec.get("with") or {}).items()}
                    self.uses.append((spec["uses"], with_))
                    self.simulate(spec["uses"], with_, step)
                else:
                    raise UnknownExpression(f"step {step.id}: neither run nor uses")
            outputs = {k: self.interpolate(v.get("value", ""))
                       for k, v in (self.meta.get("outputs") or {}).items()}
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return Result(
            outcome="failure" if failed else "success",
            exit_code=failed.code if failed else 0,
            failed_step=failed.id if failed else None,
            outputs=outputs,
            steps=self.steps,
            uses=self.uses,
            log="".join(log),
            summary="".join(summary),
        )

    def simulate(self, action: str, with_: dict, step: Step) -> None:
        name = action.split("@")[0]
        if name in ("actions/cache/restore", "actions/cache/save"):
            key, path = with_["key"], Path(with_["path"])
            if not key or not with_["path"]:
                raise ValueError(f"{action}: empty key or path")
            stored = self.cache_store / key
            if name.endswith("restore"):
                hit = stored.is_dir()
                if hit:
                    shutil.rmtree(path, ignore_errors=True)
                    shutil.copytree(stored, path)
                step.outputs = {"cache-hit": "true" if hit else "false"}
            else:
                if not path.is_dir():
                    raise ValueError(f"{action}: nothing to save at {path}")
                if not stored.exists():
                    shutil.copytree(path, stored)
        elif name == "github/codeql-action/upload-sarif":
            sarif = json.loads(Path(with_["sarif_file"]).read_text())
            if sarif.get("version") != "2.1.0":
                raise ValueError(f"{with_['sarif_file']}: not SARIF 2.1.0")
        else:
            raise UnknownExpression(f"no simulation of {action}")
