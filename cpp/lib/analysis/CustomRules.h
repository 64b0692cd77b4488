// The custom rules (and inactive functions) in force while a request is being synthesized.
#pragma once
#include "Common.h"

namespace enzpy {

/// The rule registered for F, or null.
const CustomRule *customRuleFor(const Function &F);

/// Makes Rules the registry for the current thread while it lives.
class CustomRuleScope {
public:
  explicit CustomRuleScope(const std::map<std::string, CustomRule> &Rules);
  ~CustomRuleScope();

private:
  const std::map<std::string, CustomRule> *Saved;
};

} // namespace enzpy
