// Rule documentation from the catalog: `leash explain`, `leash rules` and docs/rules.md.
#pragma once

#include "core/catalog.h"

#include <string>

namespace leash {

// One rule's page: title, summary, metadata, the doc from rules/<id>.md, and its options.
std::string rule_markdown(const Rule &rule);

// `leash rules`: a line per rule (id, severity, languages, summary).
std::string rules_table(const Catalog &catalog);

// docs/rules.md: an index, then every rule's page.
std::string rules_reference(const Catalog &catalog);

} // namespace leash
