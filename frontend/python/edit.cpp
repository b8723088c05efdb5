#include "frontend/python/edit.h"

namespace leash::python {

namespace {

// The position just past the last character of 1-based `line` (after any comment).
Position end_of_line(const SourceFile &source, int line) {
  return {line, count_characters(source.line(line - 1)) + 1};
}

} // namespace

std::vector<Edit> set_argument(const Module &module, const Call &call, const std::string &keyword,
                               int position, const std::string &value) {
  for (const Keyword &k : call.keywords)
    if (k.name == keyword)
      return {{module.span(k.value), value}};
  if (position >= 0 && static_cast<size_t>(position) < call.positional.size())
    return {{module.span(call.positional[position]), value}};

  const TSNode arguments = field(call.node, "arguments");
  if (type_of(arguments) != "argument_list")
    return {}; // f(x for x in y)
  const SourceFile &source = module.source();
  const std::string argument = keyword + "=" + value;
  Position close = module.span(arguments).end;
  --close.column; // at the `)`
  TSNode last{};
  for (TSNode child : named_children(arguments))
    if (type_of(child) != "comment")
      last = child;
  if (ts_node_is_null(last))
    return {{{close, close}, argument}};
  const TSNode after = ts_node_next_sibling(last);
  const bool comma = !ts_node_is_null(after) && type_of(after) == ",";
  const Span last_span = module.span(last);
  const std::string_view line = source.line(last_span.start.line - 1);
  const std::string indent(line.substr(0, line.find_first_not_of(" \t")));
  const bool own_line = count_characters(indent) + 1 == last_span.start.column;
  if (close.line != last_span.end.line && own_line) {
    // One argument per line: the new one on a line of its own, after any comment.
    const std::string_view newline = source.newline();
    const Position line_end =
        end_of_line(source, comma ? module.span(after).end.line : last_span.end.line);
    if (comma)
      return {{{line_end, line_end}, std::string(newline) + indent + argument + ","}};
    if (line_end == last_span.end)
      return {{{line_end, line_end}, "," + std::string(newline) + indent + argument}};
    // `a  # comment`: the comma after the argument, the new one after the comment.
    return {{{last_span.end, last_span.end}, ","},
            {{line_end, line_end}, std::string(newline) + indent + argument}};
  }
  if (comma) {
    const Position after_comma = module.span(after).end;
    return {{{close, close}, (after_comma == close ? " " : "") + argument}};
  }
  return {{{last_span.end, last_span.end}, ", " + argument}};
}

} // namespace leash::python
