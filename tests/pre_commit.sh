#!/usr/bin/env bash
# Debian's real pre-commit, with the hook from .pre-commit-hooks.yaml, in a temporary git
# repository (no network): a bad compose file, a bad Python file, a bad C++ unit and a bad header
# are each refused with the finding printed; after the fix the same commit is accepted.
# Usage: pre_commit.sh LEASH_BINARY
set -euo pipefail
leash=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (scripts/test.sh installs it)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home PRE_COMMIT_HOME=$work/pre-commit-home
export GIT_AUTHOR_NAME=leash GIT_AUTHOR_EMAIL=leash@example.com
export GIT_COMMITTER_NAME=leash GIT_COMMITTER_EMAIL=leash@example.com
mkdir -p "$HOME" "$work/bin"
ln -s "$(cd "$(dirname "$leash")" && pwd)/$(basename "$leash")" "$work/bin/leash"
export PATH=$work/bin:$PATH

# The hook's repository: this checkout's manifest, as a repository of its own.
mkdir "$work/hooks" && cd "$work/hooks"
git init -q . && cp "$root/.pre-commit-hooks.yaml" . && git add -A && git commit -qm hooks
rev=$(git rev-parse HEAD)

mkdir "$work/project" && cd "$work/project"
git init -q .
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $work/hooks
    rev: $rev
    hooks: [{id: leash}]
YAML
git add -A && git commit -qm config
pre-commit install >/dev/null

status=0
# commit EXPECT PATTERN FILE: stages FILE and commits; EXPECT is refused or accepted, and a
# refusal must print PATTERN.
commit() {
  local expect=$1 pattern=$2 file=$3 code=0
  git add "$file"
  git commit -qm "$file" >"$work/out.txt" 2>&1 || code=$?
  if [ "$expect" = refused ] && [ "$code" != 0 ] && grep -q -- "$pattern" "$work/out.txt"; then
    echo "ok: $file refused with $pattern"
  elif [ "$expect" = accepted ] && [ "$code" = 0 ]; then
    echo "ok: $file accepted"
  else
    echo "FAILED: $file was to be $expect (exit $code):"; cat "$work/out.txt"; status=1
    git reset -q
  fi
}

printf 'services:\n  web:\n    image: nginx\n' > docker-compose.yml
commit refused 'docker-compose.yml:2:3: warning: service "web" has no memory limit' docker-compose.yml
printf 'services:\n  web:\n    image: nginx\n    mem_limit: 256m\n' > docker-compose.yml
commit accepted '' docker-compose.yml

printf 'import asyncio\njobs = asyncio.Queue()\n' > jobs.py
commit refused 'jobs.py:2:8: warning: asyncio.Queue has no maxsize' jobs.py
printf 'import asyncio\njobs = asyncio.Queue(maxsize=100)\n' > jobs.py
commit accepted '' jobs.py

cat > cache.cpp <<'CPP'
#include <hiredis/hiredis.h>
redisContext *open_cache() { return redisConnect("cache", 6379); }
CPP
commit refused 'cache.cpp:2:37: warning: redisConnect connects a hiredis context' cache.cpp
cat > cache.cpp <<'CPP'
#include <hiredis/hiredis.h>
redisContext *open_cache() {
  redisContext *c = redisConnect("cache", 6379);
  struct timeval tv = {1, 0};
  redisSetTimeout(c, tv);
  return c;
}
CPP
commit accepted '' cache.cpp

# A header changed alone, as pre-commit hands it over.
cat > cache.h <<'CPP'
#pragma once
#include <hiredis/hiredis.h>
inline redisContext *reconnect() { return redisConnect("cache", 6379); }
CPP
commit refused 'cache.h:3:43: warning: redisConnect connects a hiredis context' cache.h
cat > cache.h <<'CPP'
#pragma once
#include <hiredis/hiredis.h>
inline redisContext *reconnect() {
  redisContext *c = redisConnect("cache", 6379);
  struct timeval tv = {1, 0};
  redisSetTimeout(c, tv);
  return c;
}
CPP
commit accepted '' cache.h
exit "$status"
