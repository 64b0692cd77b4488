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

static const char *NrtRetainIR = R"IR(
define void @__enzpy_nrt_retain(ptr %mi) {
entry:
  %null = icmp eq ptr %mi, null
  br i1 %null, label %done, label %inc
inc:
  %old = atomicrmw add ptr %mi, i64 1 monotonic
  br label %done
done:
  ret void
}
)IR";

static const char *NrtResizeIR = R"IR(
declare ptr @NRT_Allocate(i64)
declare void @NRT_Free(ptr)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)

define ptr @__enzpy_nrt_resize_shadow(ptr %mi, ptr %old, i64 %old_size, i64 %size, i1 %free_old) {
entry:
  %new = call ptr @NRT_Allocate(i64 %size)
  %failed = icmp eq ptr %new, null
  br i1 %failed, label %done, label %fill
fill:
  %less = icmp ult i64 %old_size, %size
  %keep = select i1 %less, i64 %old_size, i64 %size
  call void @llvm.memcpy.p0.p0.i64(ptr %new, ptr %old, i64 %keep, i1 false)
  %tail = getelementptr i8, ptr %new, i64 %keep
  %rest = sub i64 %size, %keep
  call void @llvm.memset.p0.i64(ptr %tail, i8 0, i64 %rest, i1 false)
  %data = getelementptr i8, ptr %mi, i64 DATA
  store ptr %new, ptr %data, align 8
  %sz = getelementptr i8, ptr %mi, i64 SIZE
  store i64 %size, ptr %sz, align 8
  br i1 %free_old, label %free, label %moved
free:
  call void @NRT_Free(ptr %old)
  br label %done
moved:
  call void @llvm.memset.p0.i64(ptr %old, i8 0, i64 %keep, i1 false)
  br label %done
done:
  ret ptr %new
}
)IR";

static const char *NrtUnresizeIR = R"IR(
declare void @NRT_Free(ptr)

define void @__enzpy_nrt_unresize_shadow(ptr %mi, ptr %old, i64 %old_size, ptr %new) {
entry:
  %data = getelementptr i8, ptr %mi, i64 DATA
  store ptr %old, ptr %data, align 8
  %sz = getelementptr i8, ptr %mi, i64 SIZE
  store i64 %old_size, ptr %sz, align 8
  call void @NRT_Free(ptr %new)
  ret void
}
)IR";

static void replaceAll(std::string &Text, const std::string &From, const std::string &To) {
  for (size_t P = Text.find(From); P != std::string::npos; P = Text.find(From, P + To.size()))
    Text.replace(P, From.size(), To);
}

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

// The helper Name, linked in from Text (which defines it, and maybe others) unless the module has it.
static Function *helper(Module &M, const std::string &Name, const std::string &Text) {
  if (Function *F = M.getFunction(Name); F && !F->isDeclaration())
    return F;
  linkIR(M, Text);
  Function *F = M.getFunction(Name);
  if (!F || F->isDeclaration())
    throw Error("internal: runtime helper " + Name + " missing after linking");
  F->setLinkage(GlobalValue::InternalLinkage);
  return F;
}

Function *memcpyAdjointFn(Module &M, Type *ElemTy) {
  bool F32 = ElemTy->isFloatTy();
  std::string Name = F32 ? "__enzpy_memcpy_adjoint_float" : "__enzpy_memcpy_adjoint_double";
  std::string Text = MemcpyAdjointIR;
  replaceAll(Text, "SIZE", F32 ? "4" : "8");
  replaceAll(Text, "TY", F32 ? "float" : "double");
  return helper(M, Name, Text);
}

Function *nrtReleaseFn(Module &M) { return helper(M, "__enzpy_nrt_release", NrtReleaseIR); }
Function *nrtRetainFn(Module &M) { return helper(M, "__enzpy_nrt_retain", NrtRetainIR); }

static Function *nrtResizeHelper(Module &M, const char *Name, std::string Text) {
  replaceAll(Text, "DATA", std::to_string(NrtDataOffset));
  replaceAll(Text, "SIZE", std::to_string(NrtSizeOffset));
  return helper(M, Name, Text);
}

Function *nrtResizeShadowFn(Module &M) { return nrtResizeHelper(M, "__enzpy_nrt_resize_shadow", NrtResizeIR); }
Function *nrtUnresizeShadowFn(Module &M) {
  return nrtResizeHelper(M, "__enzpy_nrt_unresize_shadow", NrtUnresizeIR);
}

} // namespace enzpy
