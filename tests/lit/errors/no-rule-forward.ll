; Forward mode: an external function without a derivative rule (a float libm-like name).
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: no derivative rule for external function @mysteryf (register a rule, or mark it inactive): instruction `%r = call float @mysteryf(float %x)` in function @{{.*}}f{{$}}

declare float @__enzyme_fwddiff(ptr, ...)
declare float @mysteryf(float)

define float @f(float %x) {
  %r = call float @mysteryf(float %x)
  ret float %r
}

define float @tangent(float %x, float %dx) {
  %d = call float (ptr, ...) @__enzyme_fwddiff(ptr @f, float %x, float %dx)
  ret float %d
}
