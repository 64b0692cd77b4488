#include "ad/Runtime.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/SourceMgr.h"

namespace enzpy {

static const char *MemcpyAdjointIR = R"IR(
declare ptr @malloc(i64)
declare void @free(ptr)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)

define void @__enzpy_memcpy_adjoint_TY(ptr %d, ptr %s, i64 %bytes) {
entry:
  %n = udiv i64 %bytes, SIZE
  %empty = icmp eq i64 %n, 0
  %same = icmp eq ptr %d, %s
  %skip = or i1 %empty, %same
  br i1 %skip, label %done, label %check
check:
  %di = ptrtoint ptr %d to i64
  %si = ptrtoint ptr %s to i64
  %dend = add i64 %di, %bytes
  %send = add i64 %si, %bytes
  %a = icmp ult i64 %di, %send
  %b = icmp ult i64 %si, %dend
  %ov = and i1 %a, %b
  br i1 %ov, label %copy, label %loop
copy:
  %tmp = call ptr @malloc(i64 %bytes)
  call void @llvm.memcpy.p0.p0.i64(ptr %tmp, ptr %d, i64 %bytes, i1 false)
  call void @llvm.memset.p0.i64(ptr %d, i8 0, i64 %bytes, i1 false)
  br label %loop
loop:
  %src = phi ptr [ %d, %check ], [ %tmp, %copy ], [ %src, %loop ]
  %i = phi i64 [ 0, %check ], [ 0, %copy ], [ %i1, %loop ]
  %pd = getelementptr inbounds TY, ptr %src, i64 %i
  %ps = getelementptr inbounds TY, ptr %s, i64 %i
  %vd = load TY, ptr %pd, align 1
  %vs = load TY, ptr %ps, align 1
  %sum = fadd TY %vs, %vd
  store TY %sum, ptr %ps, align 1
  store TY 0.0, ptr %pd, align 1
  %i1 = add nuw i64 %i, 1
  %more = icmp ult i64 %i1, %n
  br i1 %more, label %loop, label %after
after:
  %fromtmp = icmp ne ptr %src, %d
  br i1 %fromtmp, label %release, label %done
release:
  call void @free(ptr %src)
  br label %done
done:
  ret void
}
)IR";

static const char *NrtReleaseIR = R"IR(
declare void @NRT_MemInfo_call_dtor(ptr)

define void @__enzpy_nrt_release(ptr %mi) {
entry:
  %null = icmp eq ptr %mi, null
  br i1 %null, label %done, label %dec
dec:
  %old = atomicrmw sub ptr %mi, i64 1 acq_rel
  %last = icmp eq i64 %old, 1
  br i1 %last, label %dtor, label %done
dtor:
  call void @NRT_MemInfo_call_dtor(ptr %mi)
  br label %done
done:
  ret void
}
)IR";

static void linkIR(Module &M, std::string Text) {
  SMDiagnostic Err;
  std::unique_ptr<Module> R = parseAssemblyString(Text, Err, M.getContext());
  if (!R)
    throw Error("internal: runtime IR does not parse: " + Err.getMessage().str());
  R->setDataLayout(M.getDataLayout());
  R->setTargetTriple(M.getTargetTriple());
  if (Linker::linkModules(M, std::move(R)))
    throw Error("internal: cannot link the runtime helpers");
}

Function *memcpyAdjointFn(Module &M, Type *ElemTy) {
  bool F32 = ElemTy->isFloatTy();
  std::string Name = F32 ? "__enzpy_memcpy_adjoint_float" : "__enzpy_memcpy_adjoint_double";
  if (Function *F = M.getFunction(Name))
    return F;
  std::string Text = MemcpyAdjointIR;
  auto ReplaceAll = [&](const std::string &From, const std::string &To) {
    for (size_t P = Text.find(From); P != std::string::npos; P = Text.find(From, P + To.size()))
      Text.replace(P, From.size(), To);
  };
  ReplaceAll("SIZE", F32 ? "4" : "8");
  ReplaceAll("TY", F32 ? "float" : "double");
  linkIR(M, Text);
  Function *F = M.getFunction(Name);
  if (!F)
    throw Error("internal: runtime helper " + Name + " missing after linking");
  F->setLinkage(GlobalValue::InternalLinkage);
  return F;
}

Function *nrtReleaseFn(Module &M) {
  if (Function *F = M.getFunction("__enzpy_nrt_release"))
    return F;
  linkIR(M, NrtReleaseIR);
  Function *F = M.getFunction("__enzpy_nrt_release");
  if (!F)
    throw Error("internal: runtime helper __enzpy_nrt_release missing after linking");
  F->setLinkage(GlobalValue::InternalLinkage);
  return F;
}

} // namespace enzpy
