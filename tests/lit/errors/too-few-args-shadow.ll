; A pointer argument (dup by default) without its shadow.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: too few arguments to __enzyme_fwddiff: missing the shadow for parameter 0 of @f: instruction `%d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f, ptr %p)` in function @tangent

declare double @__enzyme_fwddiff(ptr, ...)

define double @f(ptr %p) {
  %v = load double, ptr %p
  ret double %v
}

define double @tangent(ptr %p) {
  %d = call double (ptr, ...) @__enzyme_fwddiff(ptr @f, ptr %p)
  ret double %d
}
