; A differentiable value stored into a global variable: globals have no shadow.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: a differentiable value is stored to a global variable, which has no shadow: instruction `store double %x, ptr @G, align 8` in function @{{.*}}h{{$}}

@enzyme_out = external global i32
@enzyme_dup = external global i32
@enzyme_const = external global i32
declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

define double @f(double %x, double %y) {
  %r = fmul double %x, %y
  ret double %r
}

@G = global double 0.0

define void @h(double %x) {
  store double %x, ptr @G
  ret void
}

define double @grad(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @h, double %x)
  ret double %d
}
