// RUN: kiln-opt %s -kiln-cpu-call-thread-pool | FileCheck %s

// A call of an outlined loop body becomes a call of the runtime's
// kiln_parallel_for with a task and a context slot (allocated at the top of
// the function) that holds the first iteration and the captures.
// CHECK-LABEL: llvm.func @f(
// CHECK-SAME: %[[P:.+]]: !llvm.ptr, %[[N:.+]]: i64, %[[BEGIN:.+]]: i64)
// CHECK: %[[SLOT:.+]] = llvm.alloca %{{.+}} x !llvm.struct<(i64, ptr, i64)>
// CHECK: llvm.br
// CHECK: %[[U:.+]] = llvm.mlir.undef : !llvm.struct<(i64, ptr, i64)>
// CHECK: %[[S0:.+]] = llvm.insertvalue %[[BEGIN]], %[[U]][0]
// CHECK: %[[S1:.+]] = llvm.insertvalue %[[P]], %[[S0]][1]
// CHECK: %[[S2:.+]] = llvm.insertvalue %[[N]], %[[S1]][2]
// CHECK: llvm.store %[[S2]], %[[SLOT]]
// CHECK: %[[COUNT:.+]] = llvm.sub %[[N]], %[[BEGIN]]
// CHECK: %[[TASK:.+]] = llvm.mlir.addressof @f_parallel_task
// CHECK: llvm.call @kiln_parallel_for(%[[TASK]], %[[SLOT]], %[[COUNT]])
// CHECK-NOT: llvm.call @f_parallel(

// The body loses its mark and becomes internal: only its task calls it.
// CHECK: llvm.func internal @f_parallel(
// CHECK-NOT: kiln_codegen.parallel_body

// The task unpacks the context and runs iterations [begin + b, begin + e).
// CHECK: llvm.func internal @f_parallel_task(%[[CTX:.+]]: !llvm.ptr, %[[B:.+]]: i64, %[[E:.+]]: i64)
// CHECK: %[[C:.+]] = llvm.load %[[CTX]] : !llvm.ptr -> !llvm.struct<(i64, ptr, i64)>
// CHECK: %[[B0:.+]] = llvm.extractvalue %[[C]][0]
// CHECK: %[[LO:.+]] = llvm.add %[[B0]], %[[B]]
// CHECK: %[[HI:.+]] = llvm.add %[[B0]], %[[E]]
// CHECK: %[[X:.+]] = llvm.extractvalue %[[C]][1]
// CHECK: %[[Y:.+]] = llvm.extractvalue %[[C]][2]
// CHECK: llvm.call @f_parallel(%[[LO]], %[[HI]], %[[X]], %[[Y]])
// CHECK: llvm.func @kiln_parallel_for(!llvm.ptr, !llvm.ptr, i64)
llvm.func @f(%p: !llvm.ptr, %n: i64, %begin: i64) {
  llvm.br ^bb1
^bb1:
  llvm.call @f_parallel(%begin, %n, %p, %n) : (i64, i64, !llvm.ptr, i64) -> ()
  llvm.return
}
llvm.func @f_parallel(%begin: i64, %end: i64, %p: !llvm.ptr, %n: i64) attributes {kiln_codegen.parallel_body} {
  llvm.return
}
