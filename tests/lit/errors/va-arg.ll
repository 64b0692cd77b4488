; va_arg on differentiated data is not supported.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: unsupported instruction: instruction `%v = va_arg ptr %ap, double` in function @{{.*}}f{{$}}

declare double @__enzyme_autodiff(ptr, ...)

define double @f(double %x, ptr %ap) {
  %v = va_arg ptr %ap, double
  %r = fmul double %x, %v
  ret double %r
}

define double @grad(double %x, ptr %ap, ptr %dap) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x, ptr %ap, ptr %dap)
  ret double %d
}
