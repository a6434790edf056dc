// RUN: kiln-opt %s -kiln-cpu-call-thread-pool -verify-diagnostics

llvm.func @f(%p: !llvm.ptr) {
  %c0 = llvm.mlir.constant(0 : i32) : i32
  // expected-error @+1 {{expects a parallel loop body to take its iteration range as two i64 values first}}
  llvm.call @f_parallel(%c0, %c0, %p) : (i32, i32, !llvm.ptr) -> ()
  llvm.return
}
llvm.func @f_parallel(%begin: i32, %end: i32, %p: !llvm.ptr) attributes {kiln_codegen.parallel_body} {
  llvm.return
}
