#include "report/report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <tuple>

namespace leash {

namespace {

struct Style {
  bool color;
  std::string paint(std::string_view text, std::string_view code) const {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  }
};

std::string_view severity_color(Severity severity) {
  switch (severity) {
  case Severity::Error:
    return "1;31";
  case Severity::Warning:
    return "1;33";
  case Severity::Note:
    return "1;36";
  }
  return "0";
}

std::string plural(size_t count, std::string_view word) {
  return fmt::format("{} {}{}", count, word, count == 1 ? "" : "s");
}

} // namespace

std::string format_text(const ScanResult &scan, const ReportContext &options) {
  const Style style{options.color};
  struct Line {
    std::string_view path;
    int line;
    int column;
    std::string text;
  };
  std::vector<Line> lines;
  for (const Finding &f : scan.findings) {
    if (f.suppressed || f.baseline)
      continue;
    lines.push_back({f.path, f.span.start.line, f.span.start.column,
                     fmt::format("{}: {}: {} {}",
                                 style.paint(fmt::format("{}:{}:{}", f.path, f.span.start.line,
                                                         f.span.start.column),
                                             "1"),
                                 style.paint(to_string(f.severity), severity_color(f.severity)),
                                 f.message, style.paint(fmt::format("[{}]", f.rule), "2"))});
  }
  const auto add = [&](const FileError &e, Severity level) {
    const std::string where =
        e.line > 0 ? fmt::format("{}:{}:{}", e.path, e.line, e.column) : e.path;
    lines.push_back({e.path, e.line, e.column,
                     fmt::format("{}: {}: {}", style.paint(where, "1"),
                                 style.paint(to_string(level), severity_color(level)), e.message)});
  };
  for (const FileError &e : scan.errors)
    add(e, Severity::Error);
  for (const FileError &n : scan.notes)
    add(n, Severity::Note);
  std::stable_sort(lines.begin(), lines.end(), [](const Line &a, const Line &b) {
    return std::tie(a.path, a.line, a.column) < std::tie(b.path, b.line, b.column);
  });
  std::string out;
  for (const Line &line : lines) {
    out += line.text;
    out += '\n';
  }
  if (!options.quiet) {
    std::string summary =
        scan.stats.findings == 0
            ? fmt::format("No findings in {}", plural(scan.stats.files, "file"))
            : fmt::format("Found {} in {}", plural(scan.stats.findings, "finding"),
                          plural(scan.stats.files, "file"));
    std::vector<std::string> aside;
    if (scan.stats.fixed > 0)
      aside.push_back(fmt::format("{} fixed", scan.stats.fixed));
    if (scan.stats.suppressed > 0)
      aside.push_back(fmt::format("{} suppressed", scan.stats.suppressed));
    if (scan.stats.baseline > 0)
      aside.push_back(fmt::format("{} in the baseline", scan.stats.baseline));
    if (scan.stats.outside_diff > 0)
      aside.push_back(fmt::format("{} outside the diff", scan.stats.outside_diff));
    if (!aside.empty())
      summary += fmt::format(" ({})", fmt::join(aside, ", "));
    if (scan.stats.errors > 0)
      summary +=
          fmt::format("; {} could not be read or parsed fully", plural(scan.stats.errors, "file"));
    out += summary + ".\n";
  }
  return out;
}

} // namespace leash
