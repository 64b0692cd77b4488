; An indirect call with a differentiable argument.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: cannot differentiate an indirect call: instruction `%r = call double %fp(double %x)` in function @{{.*}}h{{$}}

@enzyme_out = external global i32
@enzyme_dup = external global i32
@enzyme_const = external global i32
declare double @__enzyme_autodiff(ptr, ...)
declare double @__enzyme_fwddiff(ptr, ...)

define double @f(double %x, double %y) {
  %r = fmul double %x, %y
  ret double %r
}

define double @h(double %x, ptr %fp) {
  %r = call double %fp(double %x)
  ret double %r
}

define double @grad(double %x, ptr %fp) {
  %c = load i32, ptr @enzyme_const
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @h, double %x, i32 %c, ptr %fp)
  ret double %d
}
