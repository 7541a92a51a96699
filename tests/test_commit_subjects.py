""".ci/commit_subjects, run as CI and the commit-msg hook run it, on small repositories made here: a subject of at
most 72 characters, and a blank line before any body."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kdk.config import PROJECT_DIR

SCRIPT = PROJECT_DIR / ".ci" / "commit_subjects"
HOOK = PROJECT_DIR / ".githooks" / "commit-msg"
GOOD = "A subject that says what the change does\n\nA body that says why.\n"


def git(repo: Path, *args: str) -> str:
    env = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(repo), "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, message: str) -> str:
    git(repo, "commit", "--allow-empty", "--cleanup=verbatim", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def check(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=repo, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    commit(path, "An old commit from before the rule, whose subject goes on for far longer than seventy-two chars")
    return path


def test_commits_after_the_baseline_pass_when_their_subjects_are_short(repo):
    baseline = git(repo, "rev-parse", "HEAD").strip()
    commit(repo, GOOD)
    commit(repo, "x" * 72)
    done = check(repo, "--baseline", baseline)
    assert done.returncode == 0, done.stderr
    assert "checked: 2; problems: 0" in done.stdout


@pytest.mark.parametrize("message, said", [
    ("y" * 73 + "\n\nWhy.\n", "73 characters"),
    ("A subject\nwith its body straight under it\n", "no blank line"),
], ids=["long subject", "body under the subject"])
def test_a_long_subject_or_a_missing_blank_line_fails_and_names_the_commit(repo, message, said):
    baseline = git(repo, "rev-parse", "HEAD").strip()
    commit(repo, GOOD)
    bad = commit(repo, message)
    done = check(repo, "--baseline", baseline)
    assert done.returncode == 1
    assert bad[:12] in done.stderr and said in done.stderr


def test_a_shallow_clone_without_the_baseline_is_told_so_and_not_failed(repo, tmp_path):
    baseline = git(repo, "rev-parse", "HEAD").strip()
    commit(repo, GOOD)
    commit(repo, GOOD)
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    done = check(shallow, "--baseline", baseline)
    assert done.returncode == 0
    assert "shallow clone" in done.stderr and "git fetch --unshallow" in done.stderr


def test_a_baseline_missing_from_full_history_fails_with_a_clear_message(repo):
    done = check(repo, "--baseline", "0123456789abcdef0123456789abcdef01234567")
    assert done.returncode == 2
    assert "baseline 0123456789ab is not in this repository" in done.stderr


def test_the_commit_msg_hook_refuses_a_long_subject_and_accepts_a_good_one(tmp_path):
    message = tmp_path / "COMMIT_EDITMSG"
    message.write_text("z" * 80 + "\n\n# Please enter the commit message ...\n")
    refused = subprocess.run([str(HOOK), str(message)], capture_output=True, text=True)
    assert refused.returncode == 1 and "80 characters" in refused.stderr
    message.write_text(GOOD + "# a comment line git strips\n")
    assert subprocess.run([str(HOOK), str(message)], capture_output=True, text=True).returncode == 0
