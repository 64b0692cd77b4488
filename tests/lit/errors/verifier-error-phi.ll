; A phi that misses one of its block's predecessors.
; RUN: not %enzpy-opt %s -S -o - 2>&1 | FileCheck %s
; CHECK: enzpy-opt: error: the module is not valid LLVM IR: PHINode should have one entry for each predecessor of its parent basic block!
; CHECK-NEXT: %r = phi double [ %x, %a ]

define double @f(double %x, i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  br label %b
b:
  %r = phi double [ %x, %a ]
  ret double %r
}
