//===- Passes.td - Kiln CPU code generation passes ---------*- tablegen -*-===//
//
// Part of Kiln. Keep the list alphabetical.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_CPU_PASSES_TD
#define KILN_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnEmitCInterface : Pass<"kiln-emit-c-interface", "mlir::ModuleOp"> {
  let summary = "Give every public function a C-callable wrapper";
  let description = [{
    Sets `llvm.emit_c_interface` on each public `func.func`, so that the LLVM
    lowering adds `_mlir_ciface_<name>`, which takes one pointer to a memref
    descriptor per argument. The JIT (`kiln-run`) and the AOT runtime call
    models through it.
  }];
}

def KilnCPUCallThreadPool
    : Pass<"kiln-cpu-call-thread-pool", "mlir::ModuleOp"> {
  let summary = "Run outlined parallel loop bodies on Kiln's thread pool";
  let description = [{
    On the LLVM dialect: every call of a function marked
    `kiln_codegen.parallel_body` (from kiln-cpu-outline-parallel-loops),
    `@body(%begin, %end, captures...)`, becomes a call of the runtime's
    `kiln_parallel_for(@body_task, %context, %end - %begin)`, where
    `%context` is a stack slot holding `%begin` and the captures, and
    `@body_task(%context, %b, %e)` unpacks them and calls the body for
    iterations `[%begin + %b, %begin + %e)`. The runtime
    (`include/kiln/Runtime/ThreadPool.h`) runs the iterations on its
    threads and returns when all are done.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def KilnCPUApproximateMath
    : InterfacePass<"kiln-cpu-approximate-math", "mlir::FunctionOpInterface"> {
  let summary = "Transcendental functions as polynomials that vectorize";
  let description = [{
    `math.exp`, `expm1`, `log`, `log1p`, `log2`, `tanh` and `erf` on f32
    (scalars and vectors) become MLIR's polynomial approximations: range
    reduction and a polynomial in arith ops, a few ulp from libm's result.
    On vectors LLVM would otherwise call libm once per lane (softmax's
    exp, GELU's erf and tanh, sigmoid's exp were scalar calls in vectorized
    loops); the polynomials run on whole vectors. Other math ops keep their
    lowering (LLVM intrinsics, libm), and so does RISC-V code: qemu-user 7.2
    aborts translating the vector conversion the polynomials use
    (`vfcvt.rtz.x.f.v`) in some blocks.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::vector::VectorDialect"];
}

def KilnCPUAttachTarget : Pass<"kiln-cpu-attach-target", "mlir::ModuleOp"> {
  let summary = "Say in the IR which CPU the module is compiled for";
  let description = [{
    Sets the module's `kiln_codegen.target` to the
    `#kiln_codegen.cpu_target` the options name (resolved as kiln-compile
    resolves `--target/--cpu/--features/--target-desc`: LLVM's facts of the
    CPU and its features, the caches of the CPUs Kiln knows by name, the
    JSON file's facts last), with `threads` as the thread count. With no
    triple, CPU, features or file: the machine that compiles (`native`).
    This pass is where the host enters the IR; every later pass that
    depends on the machine reads the attribute.

    A module that already has a target keeps it unless the options name
    one (a triple, CPU, features or file): IR written for a target is
    compiled for it (kiln-compile and the JIT generate code for the CPU it
    names). A non-zero `threads` still replaces the kept target's.

    An unsupported triple, an unknown CPU or feature, or a bad description
    file is an error.
  }];
  let options = [
    Option<"triple", "triple", "std::string", "",
           "Target triple (default: this machine's)">,
    Option<"cpu", "cpu", "std::string", "",
           "LLVM CPU name, or native (default: native on this machine's "
           "architecture, else its baseline)">,
    Option<"features", "features", "std::string", "",
           "LLVM features to add or remove, e.g. +avx2,-avx512f">,
    Option<"descriptionFile", "target-desc", "std::string", "",
           "JSON file of facts that override the CPU's (vector_bits, "
           "vector_registers, l1_bytes, l2_bytes, cores, memory_bytes)">,
    Option<"threads", "threads", "unsigned", "0",
           "Threads the code will run on (0: not known)">,
  ];
  let dependentDialects = ["kiln::codegen::KilnCodegenDialect"];
}

def KilnCPUCheckBuffers : Pass<"kiln-cpu-check-buffers"> {
  let summary = "Reject buffers larger than the machine can hold";
  let description = [{
    After bufferization every temporary buffer (`memref.alloc`,
    `memref.alloca`) has a static size. One larger than `max-bytes` (by
    default the memory of the module's target, `memory_bytes` of its
    `kiln_codegen.target`: for the host, its physical memory) would fail to
    allocate when the model runs; it is reported at compile time instead,
    at the location of the op that needs it (for ONNX models, the node),
    with its size:

    ```
    model.onnx:0:0: error: needs a temporary buffer of 91.2 TB
    (memref<...>), more than the 23.4 GB the target has
    ```

    A target whose memory is not known (a CPU Kiln knows only by name, no
    `memory_bytes` in its `--target-desc`) is held to what a 64-bit
    Linux process can address (2^47 bytes, 140.7 TB).

    Constants (`memref.global`) are checked the same way: they become data
    in the compiled code, and a splat of 10^10 floats would otherwise be
    written out, 40 GB of it, by the LLVM backend
    (`needs a constant of 40.0 GB (memref<100000x100000xf32>), ...`).

    Buffers of a dynamic size are not checked.
  }];
  let options = [
    Option<"maxBytes", "max-bytes", "int64_t", /*default=*/"0",
           "Largest allowed buffer in bytes (0: the target's memory)">,
  ];
}

def KilnCPUContiguousStridedReads
    : InterfacePass<"kiln-cpu-contiguous-strided-reads", "mlir::FunctionOpInterface"> {
  let summary = "Read strided vectors as contiguous spans and a shuffle";
  let description = [{
    Rewrites a `vector.transfer_read` of one row (every vector dimension but
    the innermost 1; in bounds, unmasked, unpermuted) from a tensor slice
    whose innermost stride is 2 to 4 (through any chain of rank-preserving
    slices) into a read of the contiguous span of the unstrided tensor that
    holds the wanted elements, and a `vector.shuffle` that picks every
    stride-th one. Element-by-element reads were what strided views (a
    stride-2 max pooling's window positions) otherwise lowered to. Spans
    longer than 1024 elements are left alone.
  }];
  let dependentDialects = ["mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
                           "mlir::tensor::TensorDialect", "mlir::vector::VectorDialect"];
}

def KilnCPUExpandStridedCopies
    : InterfacePass<"kiln-cpu-expand-strided-copies", "mlir::FunctionOpInterface"> {
  let summary = "Turn memref.copy of strided buffers into linalg.copy";
  let description = [{
    A `memref.copy` between buffers that are not both contiguous lowers to a
    call of MLIR's C runner library (`memrefCopy`), which standalone binaries
    do not have. This pass turns such copies into `linalg.copy`, which becomes
    plain loops. Contiguous copies stay `memref.copy` (a `memcpy`).
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def KilnCPULowerContractions
    : InterfacePass<"kiln-cpu-lower-contractions", "mlir::FunctionOpInterface"> {
  let summary = "Lower vector.contract to broadcasts and vector.fma";
  let description = [{
    `vector.contract` becomes one `vector.outerproduct` per reduction step and
    each of those one `vector.fma` per accumulator row: the register tile's
    inner loop is `rows` broadcasts of A and `rows x vectors` FMAs with the
    B vectors; an element of A that was read from memory as part of a
    vector (a positions-major convolution reads a row of positions at once)
    is read on its own, so that it becomes a broadcast from memory. Runs
    after bufferization, right before the LLVM conversion:
    canonicalization in between would fold the accumulator's row inserts
    into a scalar `vector.from_elements`.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::memref::MemRefDialect",
                           "mlir::vector::VectorDialect"];
}

def KilnCPULowerReductions
    : InterfacePass<"kiln-cpu-lower-reductions", "mlir::FunctionOpInterface"> {
  let summary = "Lower vector.multi_reduction to vector.reduction";
  let description = [{
    A vectorized reduction's `vector.multi_reduction` (a row tile of a
    softmax's max or sum, a layer norm's mean) becomes one
    `vector.reduction` per row of the tile (or, reduced along an outer
    dimension, elementwise ops across the rows), which the LLVM conversion
    turns into a tree of vector operations (floating-point sums are
    reassociated there). Runs after bufferization, before the LLVM
    conversion, which does not lower multi-reductions itself.
  }];
  let dependentDialects = ["mlir::vector::VectorDialect"];
}

def KilnCPUOutlineParallelLoops
    : Pass<"kiln-cpu-outline-parallel-loops", "mlir::ModuleOp"> {
  let summary = "Move the bodies of distributed loops into functions";
  let description = [{
    On buffers: the body of each outermost `scf.for` marked
    `kiln_codegen.distributed` (kiln-codegen-tile marks the cache-tile loop of a
    lowering_config's `distribute` loop) moves into a new private function
    `@<parent>_parallel(%begin: index, %end: index, captures...)` that runs
    iterations `[%begin, %end)` of the loop; the loop becomes a call of it
    over all its iterations, so the program is still correct on one thread.
    Constants are cloned into the body rather than captured. The function is
    marked `kiln_codegen.parallel_body` for kiln-cpu-call-thread-pool.

    Marked loops that still carry values (iter_args) or have a single
    iteration stay loops.
  }];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::scf::SCFDialect",
                           "mlir::arith::ArithDialect"];
}

def KilnCPUPackTiles
    : InterfacePass<"kiln-cpu-pack-tiles", "mlir::FunctionOpInterface"> {
  let summary = "Copy the cache tiles of packed operands into dense buffers";
  let description = [{
    For every op whose `lowering_config` lists operands in `pack`, each such
    operand that is a static tile (`tensor.extract_slice`, as kiln-codegen-tile
    leaves them at the cache level) is copied into a fresh dense tensor by a
    `linalg.copy`, which the op then reads instead. The copy gets a
    `lowering_config` of its own (one row per register tile), so that
    kiln-codegen-tile and kiln-cpu-vectorize turn it into vector loads and
    stores. Runs between the cache and the register tiling.

    A tile of a large row-major matrix has rows a whole matrix row apart
    (4 KiB at 1024 f32 columns), which map to the same cache sets; the
    dense copy has none of that aliasing. A tile whose innermost dimension
    is not the loop the register tiles read as vectors (W in `x * W^T`,
    nn.dense's form) is packed transposed by a `linalg.transpose` (8x8
    register blocks), and the op, generalized to a `linalg.generic` if it was
    a named op, reads it through the permuted indexing map. Whole operands
    (ops too small to be tiled) and dynamic tiles are left alone.

    The slice, the buffer and the copy then move together out of every
    enclosing loop they do not depend on (B's tile under `cache_order = [1,
    2, 0]`, n, k, m: packed once for all m tiles; out of a distributed loop
    too, so that the copy runs before the threads start). A buffer never
    moves without its copy: the threads would share it.

    A tile of a convolution's patch matrix (`kiln_codegen.im2col`) whose P
    tiles start on output rows (the P loop untiled, or tiled by a multiple
    of the output width) is copied from the convolution's input instead: a
    loop over the tile's rows k and output rows, each one input row segment
    (every stride-th element) as a vector. The patch matrix is then never
    built whole, and each packed tile is written while it is hot; when such
    a tile is packed outside the loop the threads share, its rows are
    shared too. When the input is a `tensor.pad` of zeros on the spatial
    dims only, by static amounts, the rows are read from the unpadded input
    and the zeros written here: a packed row whose input row lies in the
    padding is zeros, and the others (a case per window column, so that the
    edges are static) copy the output columns inside the input with zeros
    around them. The padded copy of the input is then never made (7% of
    ResNet-18's 64->128 3x3/2 layer on 1 thread, 12% on 2).

    A constant operand that would be packed transposed (a dense layer's
    weights) is transposed once, at compile time, into a new constant whose
    tiles are then packed by plain copies.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect", "mlir::vector::VectorDialect"];
}

def KilnCPUSelectLoweringConfig
    : InterfacePass<"kiln-cpu-select-lowering-config",
                    "mlir::FunctionOpInterface"> {
  let summary = "Choose tile sizes for the hot linalg ops from the target description";
  let description = [{
    Attaches a `#kiln_codegen.lowering_config` to every elementwise generic
    (all loops parallel, projected-permutation maps, identity result map, a
    body of `arith`/`math` ops, static sizes): register tiles of 4 vectors
    along the innermost loop, so that it becomes vector code.

    And to every contraction
    (`linalg.matmul`, `linalg.batch_matmul` and equivalent generics) that has
    none, computed from the CPU target description: the register tile holds
    `rows x (2 vectors)` accumulators, sized so that they, the B vectors and
    the A broadcasts fit the vector registers; the cache tile keeps the
    panels of A and B that one register tile streams in L1/L2. B's cache
    tiles are packed (`pack`) when they are strided pieces of B. The
    outermost parallel loop with at least 4 cache tiles (else the one with
    the most) is distributed over the thread pool (`distribute`), unless the
    op is too small (under 2^20 multiply-adds) to pay for waking threads.
    Ops that already carry a config (written by the autotuner or by hand)
    are kept.

    The target is the module's `kiln_codegen.target` (a generic 128-bit CPU
    with 16 vector registers, 32 KiB L1 and 1 MiB L2, when there is none).
    The options override its figures, for experiments; 0 keeps the
    target's. Its `threads` is the thread count the code will run on, when
    known: the distributed loop's cache tiles are then sized for it (e.g.
    one tile per thread) rather than for 1, 2 and 4 threads at once.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "0",
           "Width of a vector register in bits (0: the target's)">,
    Option<"vectorRegisters", "vector-registers", "unsigned", "0",
           "Number of vector registers (0: the target's)">,
    Option<"l2Bytes", "l2-bytes", "int64_t", "0",
           "Size of the L2 cache of one core in bytes (0: the target's)">,
    Option<"threads", "threads", "unsigned", "0",
           "Threads the code will run on (0: the target's; when that is 0 "
           "too, distributed loops are balanced for 1, 2 and 4)">,
  ];
  let dependentDialects = ["kiln::codegen::KilnCodegenDialect"];
}

def KilnCPUVectorize
    : InterfacePass<"kiln-cpu-vectorize", "mlir::FunctionOpInterface"> {
  let summary = "Vectorize register tiles into FMA sequences";
  let description = [{
    Vectorizes every linalg op that carries a `lowering_config` and has a
    static shape (kiln-codegen-tile peels partial tiles off) with its register
    tile as the vector shape, turns the
    result into `vector.contract`, and hoists the accumulator out of the
    reduction loop so that it stays in registers. An op that cannot be
    vectorized is left as it is (it becomes scalar loops later).
  }];
  let dependentDialects = ["mlir::vector::VectorDialect", "mlir::arith::ArithDialect",
                           "mlir::tensor::TensorDialect"];
}

#endif // KILN_TARGET_CPU_PASSES_TD
