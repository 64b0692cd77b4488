; BUG: wrong diagnostic. Inline assembly with a differentiable operand is reported as
;   "cannot differentiate an indirect call"
; because checkSupported (cpp/lib/ad/Synth.cpp) classifies the call as an unknown external with
; no callee, and fails with the indirect-call message before it reaches its own
; "cannot differentiate inline assembly" check, which is never hit for this case.
;
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: cannot differentiate inline assembly: instruction `%r = call double asm "fsqrt", "=f,0"(double %x)`

declare double @__enzyme_autodiff(ptr, ...)

define double @h(double %x) {
  %r = call double asm "fsqrt", "=f,0"(double %x)
  ret double %r
}

define double @grad(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @h, double %x)
  ret double %d
}
