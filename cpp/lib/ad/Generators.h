// The two derivative generators. Called by getDerivative(), which names, declares and caches the results.
#pragma once
#include "ad/Synth.h"

namespace enzpy {
/// Fills D (declared with the forward signature) with the forward-mode derivative of F.
void generateForward(Function &F, const Config &C, Function *D);
/// Fills Aug and Rev with the reverse-mode derivative of F: Aug == Rev for the combined form (forward sweep
/// then reverse sweep in one function), else the augmented forward / reverse pair sharing a caller's tape.
void generateReverse(Function &F, const Config &C, Function *Aug, Function *Rev);

/// Activity for a call's callee, from the caller's analysis.
Config calleeConfig(const CallBase &CB, const ActivityInfo &AI, bool Reverse);
/// The same, inheriting the caller's options (atomic adjoints).
Config calleeConfig(const CallBase &CB, const ActivityInfo &AI, const Config &Caller, bool Reverse);
} // namespace enzpy
