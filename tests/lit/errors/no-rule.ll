; An external function without a derivative rule, called with a differentiable argument.
; (The function named in the location is the tool's working copy of @f.)
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: no derivative rule for external function @mystery (register a rule, or mark it inactive): instruction `%r = call double @mystery(double %y)` in function @{{.*}}f{{$}}

declare double @__enzyme_autodiff(ptr, ...)
declare double @mystery(double)

define double @f(double %x) {
  %y = fmul double %x, %x
  %r = call double @mystery(double %y)
  ret double %r
}

define double @grad(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x)
  ret double %d
}
