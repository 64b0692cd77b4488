#include "analysis/CustomRules.h"

namespace enzpy {

static thread_local const std::map<std::string, CustomRule> *Current = nullptr;

const CustomRule *customRuleFor(const Function &F) {
  if (!Current)
    return nullptr;
  auto It = Current->find(F.getName().str());
  return It == Current->end() ? nullptr : &It->second;
}

CustomRuleScope::CustomRuleScope(const std::map<std::string, CustomRule> &Rules) : Saved(Current) { Current = &Rules; }
CustomRuleScope::~CustomRuleScope() { Current = Saved; }

} // namespace enzpy
