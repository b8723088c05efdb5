// Helm chart templates, read without running Helm: a template of a chart (`templates/*.yaml`
// beside a `Chart.yaml`) is rendered line for line against the chart's `values.yaml`, so that the
// YAML checks judge what the chart installs by default, at the template's own lines.
//
// What is modelled: `.Values.a.b` (and `.x` under `with`), `toYaml X | nindent N` / `indent N`,
// `quote`, `default`, `if` / `else if` / `else` on a value's truthiness (and `not`), `with`, and
// `range` / `define` / comments / variables as blocks or lines that output no YAML a check reads.
// Anything else (`include`, `tpl`, functions of several values) renders as unknown: a value the
// checks leave unjudged, never a guess.
#pragma once

#include "frontend/yaml/document.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leash::yaml {

// The key an unknown block lands under where a mapping's keys are expected; a mapping that has it
// may hold anything more (see has_unrendered).
inline constexpr std::string_view kUnrenderedKey = "__leash_unrendered__";
// The text an unknown value renders to: templated (see is_templated), so left unjudged.
inline constexpr std::string_view kUnknownValue = "${helm}";

struct RenderedTemplate {
  std::string text;                // as many lines as the template
  std::vector<LineOrigin> origins; // lines whose YAML is a value of the values file
  // The lines (1-based) left as written: a construct leash does not render (a block opened amid
  // YAML text, an action over several lines that outputs). Their documents are not judged.
  std::vector<int> unrendered_lines;
  bool broken = false; // the blocks do not close (`end` without a block): nothing is rendered
};

// The chart whose templates/ holds the file at `path` (a display path, relative to the working
// directory): the nearest folder above with a Chart.yaml whose `templates` folder holds it.
std::optional<std::filesystem::path> chart_of(const std::filesystem::path &path);

// Renders `text` (a template) with the values files' documents, merged in order as Helm merges
// them (the chart's values.yaml first, then those `helm: values` names).
RenderedTemplate render_template(std::string_view text,
                                 const std::vector<const Document *> &values);

// Whether what `path` leads to in `map` may be set by something leash did not render: a mapping
// on the way holds kUnrenderedKey, or a node on the way is an unknown value.
bool unrendered_along(const YAML::Node &map, const std::vector<std::string> &path);

} // namespace leash::yaml
