// enzpy-opt: Enzyme's C ABI on .ll/.bc files.
//   enzpy-opt IN.ll|IN.bc|- [-o OUT|-] [-S] [-O0|-O1|-O2|-O3] [--version] [--help]
// The work runs in a child process, so that even an LLVM crash on malformed input ends as
// "enzpy-opt: error: ..." with exit status 1, never as a signal.
#include "enzpy/Enzpy.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace llvm;

static const char *Usage =
    "usage: enzpy-opt IN.ll|IN.bc|- [-o OUT|-] [-S] [-O0|-O1|-O2|-O3] [--version] [--help]\n"
    "\n"
    "Replaces every call to __enzyme_autodiff* (reverse mode) and __enzyme_fwddiff* (forward mode)\n"
    "with a call to a synthesized derivative (Enzyme's C ABI: enzyme_dup, enzyme_dupnoneed,\n"
    "enzyme_const, enzyme_out), then optimizes the module (-O2 by default; -O0 skips it).\n"
    "\n"
    "  -o OUT   write to OUT (default: standard output)\n"
    "  -S       write textual IR; without it, bitcode (text when OUT ends in .ll or is a terminal)\n";

struct Options {
  std::string In, Out = "-";
  bool Text = false, TextSet = false;
  unsigned Opt = 2;
};

[[noreturn]] static void die(const std::string &Msg) {
  std::fprintf(stderr, "enzpy-opt: error: %s\n", Msg.c_str());
  std::exit(1);
}

static Options parseArgs(int argc, char **argv) {
  Options O;
  bool HaveIn = false;
  for (int I = 1; I < argc; ++I) {
    std::string A = argv[I];
    if (A == "--help" || A == "-h") {
      std::fputs(Usage, stdout);
      std::exit(0);
    } else if (A == "--version") {
      std::printf("enzpy-opt %s (LLVM %s)\n", enzpy::version(), LLVM_VERSION_STRING);
      std::exit(0);
    } else if (A == "-o") {
      if (I + 1 >= argc)
        die("-o needs a file name");
      O.Out = argv[++I];
    } else if (A == "-S") {
      O.Text = O.TextSet = true;
    } else if (A.size() == 3 && A[0] == '-' && A[1] == 'O' && A[2] >= '0' && A[2] <= '3') {
      O.Opt = A[2] - '0';
    } else if (A != "-" && A[0] == '-') {
      die("unknown option '" + A + "' (see --help)");
    } else {
      if (HaveIn)
        die("more than one input file ('" + O.In + "' and '" + A + "')");
      O.In = A;
      HaveIn = true;
    }
  }
  if (!HaveIn)
    die("no input file (see --help)");
  if (!O.TextSet)
    O.Text = (O.Out.size() > 3 && O.Out.compare(O.Out.size() - 3, 3, ".ll") == 0) ||
             (O.Out == "-" && isatty(1));
  return O;
}

static int work(const Options &O) {
  enzpy::installFatalErrorHandler("enzpy-opt");
  auto Buf = O.In == "-" ? MemoryBuffer::getSTDIN() : MemoryBuffer::getFile(O.In);
  if (!Buf)
    die("cannot read '" + O.In + "': " + Buf.getError().message());
  LLVMContext Ctx;
  SMDiagnostic Diag;
  std::unique_ptr<Module> M = parseIR((*Buf)->getMemBufferRef(), Diag, Ctx);
  if (!M) {
    std::string Msg;
    raw_string_ostream OS(Msg);
    Diag.print("", OS, false);
    OS.flush();
    while (!Msg.empty() && (Msg.back() == '\n'))
      Msg.pop_back();
    die("cannot parse '" + O.In + "': " + Msg);
  }
  try {
    enzpy::verifyModuleOrThrow(*M);
    enzpy::lowerEnzymeCalls(*M);
    enzpy::verifyModuleOrThrow(*M);
    enzpy::optimizeModule(*M, O.Opt);
    enzpy::verifyModuleOrThrow(*M);
  } catch (const enzpy::Error &E) {
    die(E.what());
  }
  std::error_code EC;
  ToolOutputFile OutFile(O.Out, EC, O.Text ? sys::fs::OF_Text : sys::fs::OF_None);
  if (EC)
    die("cannot write '" + O.Out + "': " + EC.message());
  if (O.Text)
    M->print(OutFile.os(), nullptr);
  else
    WriteBitcodeToFile(*M, OutFile.os());
  OutFile.keep();
  return 0;
}

int main(int argc, char **argv) {
  Options O = parseArgs(argc, argv);
  std::fflush(stdout);
  pid_t Pid = fork();
  if (Pid < 0)
    return work(O); // cannot fork: do it here
  if (Pid == 0)
    std::_Exit(work(O));
  int Status = 0;
  while (waitpid(Pid, &Status, 0) < 0) {
  }
  if (WIFEXITED(Status))
    return WEXITSTATUS(Status);
  std::fprintf(stderr, "enzpy-opt: error: internal failure (signal %d) while processing '%s'\n",
               WIFSIGNALED(Status) ? WTERMSIG(Status) : 0, O.In.c_str());
  return 1;
}
