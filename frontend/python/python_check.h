// The base class of Python checks: a check sees a parsed, name-resolved module and registers
// itself with LEASH_REGISTER_CHECK(PythonCheck, MyCheck, "my-rule").
#pragma once

#include "core/analysis.h"
#include "frontend/python/module.h"

namespace leash::python {

class PythonCheck {
public:
  static constexpr Language kLanguage = Language::Python;
  virtual ~PythonCheck() = default;
  virtual void check(const Module &module, CheckContext &context) const = 0;
  // Words of which a module's text must contain one for the check to find anything in it (with
  // these settings of its rule); empty: any module may hold a finding. A module whose text has
  // none of any enabled check's words is not parsed.
  virtual const std::vector<std::string> &required_text(const RuleSettings &rule) const = 0;
  // The classes (qualified) whose construction the check judges: a class of the scanned tree
  // derived from one is judged as its base is, wherever it is built (see ClassIndex).
  virtual const std::vector<std::string> &classes(const RuleSettings & /*rule*/) const {
    static const std::vector<std::string> none;
    return none;
  }
};

} // namespace leash::python

namespace leash {
using python::PythonCheck;
} // namespace leash
