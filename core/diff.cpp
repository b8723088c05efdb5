#include "core/diff.h"

#include "core/config.h"
#include "core/discovery.h"
#include "core/process.h"
#include "core/strings.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <set>

#include <unistd.h>

namespace leash {

namespace {

// git, from an absolute folder of PATH: never a `git` in the scanned tree through a relative PATH
// entry ("." or an empty one).
std::string git_program() {
  const char *path = std::getenv("PATH");
  for (std::string_view dirs = path ? path : "/usr/bin:/bin"; !dirs.empty();) {
    const size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? std::string_view() : dirs.substr(colon + 1);
    if (!dir.starts_with('/'))
      continue;
    const std::string candidate = std::string(dir) + "/git";
    if (::access(candidate.c_str(), X_OK) == 0)
      return candidate;
  }
  return "/usr/bin/git";
}

// Runs git so that it runs nothing of the scanned repository's: no file-system monitor, external
// diff or text converter, and no clean, smudge or process filter (a checkout's .git/config may
// define them and its .gitattributes select them; `git diff` against the working tree runs clean
// filters). Reading the config runs nothing.
ProcessResult git(std::vector<std::string> args) {
  static const std::string program = git_program();
  std::vector<std::string> argv = {program, "-c", "core.fsmonitor=false", "-c", "diff.external="};
  const ProcessResult filters =
      run_process({program, "config", "--name-only", "--get-regexp", "^filter\\."});
  std::set<std::string> drivers;
  for (std::string_view rest = filters.out; !rest.empty();) {
    const std::string_view line = rest.substr(0, rest.find('\n'));
    rest.remove_prefix(std::min(rest.size(), line.size() + 1));
    const size_t last_dot = line.rfind('.');
    if (line.starts_with("filter.") && last_dot > 7)
      drivers.insert(std::string(line.substr(7, last_dot - 7)));
  }
  for (const std::string &driver : drivers)
    for (const char *key : {"clean", "smudge", "process"})
      argv.insert(argv.end(), {"-c", fmt::format("filter.{}.{}=", driver, key)});
  for (const std::string &driver : drivers)
    argv.insert(argv.end(), {"-c", fmt::format("filter.{}.required=false", driver)});
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

std::string first_line(std::string_view text) {
  return std::string(trim(text.substr(0, text.find('\n'))));
}

// "+c,d" or "+c" of a hunk header: the first line and the number of lines.
std::pair<int, int> new_range(std::string_view header) {
  const size_t plus = header.find(" +");
  if (plus == std::string_view::npos)
    return {0, 0};
  std::string_view range = header.substr(plus + 2);
  range = range.substr(0, range.find(' '));
  int first = 0, count = 1;
  const auto comma = range.find(',');
  std::from_chars(range.data(), range.data() + std::min(comma, range.size()), first);
  if (comma != std::string_view::npos)
    std::from_chars(range.data() + comma + 1, range.data() + range.size(), count);
  return {first, count};
}

// A path as git prints it after "+++ b/": C-quoted when it has unusual characters, else ended by
// a tab when it has a space.
std::string unquote(std::string_view path) {
  if (!path.starts_with('"'))
    return std::string(path.substr(0, path.find('\t')));
  std::string out;
  for (size_t i = 1; i < path.size() && path[i] != '"'; ++i) {
    if (path[i] != '\\' || i + 1 >= path.size()) {
      out += path[i];
      continue;
    }
    const char c = path[++i];
    if (c >= '0' && c <= '7' && i + 2 < path.size()) { // octal byte
      out += static_cast<char>(std::stoi(std::string(path.substr(i, 3)), nullptr, 8));
      i += 2;
    } else {
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
    }
  }
  return out;
}

} // namespace

ChangedLines ChangedLines::since(const std::string &ref) {
  if (ref.empty() || ref.starts_with('-'))
    throw UsageError(fmt::format("--diff: `{}` is not a git ref", ref));
  const ProcessResult top = git({"rev-parse", "--show-toplevel"});
  if (top.exit_code != 0)
    throw UsageError(fmt::format("--diff needs a git checkout: {}", first_line(top.err)));
  const ProcessResult base = git({"merge-base", ref, "HEAD"});
  if (base.exit_code != 0)
    throw UsageError(fmt::format("--diff {}: git cannot find a merge base with HEAD: {}", ref,
                                 first_line(base.err.empty() ? base.out : base.err)));
  const ProcessResult diff =
      git({"diff", "--no-color", "--no-ext-diff", "--no-textconv", "--unified=0", "-M",
           "--diff-filter=AMRC", "--src-prefix=a/", "--dst-prefix=b/", first_line(base.out)});
  if (diff.exit_code != 0)
    throw UsageError(fmt::format("--diff {}: git diff failed: {}", ref, first_line(diff.err)));
  return parse(diff.out, first_line(top.out));
}

ChangedLines ChangedLines::parse(std::string_view diff, const std::string &top) {
  ChangedLines changed;
  std::vector<std::pair<int, int>> *ranges = nullptr;
  while (!diff.empty()) {
    const size_t end = diff.find('\n');
    const std::string_view line = diff.substr(0, end);
    diff = end == std::string_view::npos ? std::string_view() : diff.substr(end + 1);
    if (line.starts_with("+++ ")) {
      const std::string path = unquote(line.substr(4));
      ranges = path.starts_with("b/")
                   ? &changed.lines_[display_path(std::filesystem::path(top) / path.substr(2))]
                   : nullptr; // "+++ /dev/null": a deleted file
    } else if (line.starts_with("@@") && ranges) {
      const auto [first, count] = new_range(line);
      if (count > 0)
        ranges->push_back({first, first + count - 1});
    }
  }
  return changed;
}

bool ChangedLines::touches(const std::string &path, int first, int last) const {
  const auto it = lines_.find(path);
  if (it == lines_.end())
    return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](const std::pair<int, int> &range) {
    return range.first <= last && first <= range.second;
  });
}

void apply_diff(const ChangedLines &changed, ScanResult &result) {
  std::erase_if(result.findings, [&](const Finding &f) {
    if (changed.touches(f.path, f.span.start.line, std::max(f.span.start.line, f.span.end.line)))
      return false;
    if (f.suppressed) {
      --result.stats.suppressed;
      return true;
    }
    --(f.baseline ? result.stats.baseline : result.stats.findings);
    ++result.stats.outside_diff;
    return true;
  });
  const auto outside = [&](const FileError &e) { return !changed.touches(e.path); };
  std::erase_if(result.notes, outside);
  std::vector<std::string> with_errors;
  for (const FileError &e : result.errors)
    if (!outside(e))
      with_errors.push_back(e.path);
  std::erase_if(result.errors, outside);
  with_errors.erase(std::unique(with_errors.begin(), with_errors.end()), with_errors.end());
  result.stats.errors = with_errors.size();
}

} // namespace leash
