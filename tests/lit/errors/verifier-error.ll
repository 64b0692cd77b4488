; IR that parses but is not valid (a use not dominated by its definition): the verifier's
; message, before any differentiation.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: the module is not valid LLVM IR: Instruction does not dominate all uses!
; CHECK-NEXT: %y = fadd double %x, 1.000000e+00
; CHECK-NEXT: %r = fmul double %x, %y

declare double @__enzyme_autodiff(ptr, ...)

define double @f(double %x) {
entry:
  br label %b
b:
  %r = fmul double %x, %y
  ret double %r
c:
  %y = fadd double %x, 1.0
  br label %b
}

define double @grad(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x)
  ret double %d
}
