; BUG: diagnostics about instructions of the differentiated function name the tool's internal
; working copy instead of the user's function:
;   ... instruction `%r = call double @mystery(double %y)` in function @enzpy.prep.f
; (cpp/lib/ad/Synth.cpp clones @f to @enzpy.prep.f before checking it, and the location printed
; is the clone's). The message should say "in function @f", the name in the user's module.
; The other error tests accept either spelling; this one pins the expected one.
;
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: no derivative rule for external function @mystery {{.*}} in function @f{{$}}

declare double @__enzyme_autodiff(ptr, ...)
declare double @mystery(double)

define double @f(double %x) {
  %r = call double @mystery(double %x)
  ret double %r
}

define double @grad(double %x) {
  %d = call double (ptr, ...) @__enzyme_autodiff(ptr @f, double %x)
  ret double %d
}
