//===- Passes.td - NVIDIA GPU code generation passes --------*- tablegen -*-===//
//
// Part of Kiln.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_TARGET_GPU_PASSES_TD
#define KILN_TARGET_GPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def KilnGPUAttachTarget : Pass<"kiln-gpu-attach-target", "mlir::ModuleOp"> {
  let summary = "Put the GPU the kernels are compiled for into the IR";
  let description = [{
    Sets the module attribute `kiln_codegen.gpu_target` to the
    `#kiln_codegen.gpu_target` of architecture `arch` (`sm_70`, `sm_75`,
    `sm_80`, `sm_86`, `sm_89`, `sm_90`, `sm_90a`: Kiln's table of known
    GPUs, `lib/Target/GPU/KnownGPUs.cpp`), so that GPU code generation reads
    the GPU's facts from the IR. Without `arch`, a target already in the IR
    stays, and a module without one gets sm_80's. An unknown architecture
    is an error that lists the known ones.
  }];
  let options = [
    Option<"arch", "arch", "std::string", /*default=*/"",
           "NVIDIA architecture, e.g. sm_80 or sm_90a">,
  ];
  let dependentDialects = ["kiln::codegen::KilnCodegenDialect"];
}

def KilnGPUSelectLoweringConfig
    : Pass<"kiln-gpu-select-lowering-config", "mlir::func::FuncOp"> {
  let summary = "Choose each linalg op's GPU schedule (the SIMT heuristic)";
  let description = [{
    Writes a `#kiln_codegen.lowering_config<workgroup = [..], thread =
    [..]>` on every linalg op outside a kernel that has no config with a
    `workgroup` level (a tuned or hand-written schedule stays), from the
    module's `#kiln_codegen.gpu_target`:

    - `workgroup`: the tile of the iteration space one thread block
      computes. The innermost parallel loop is filled first, so that the
      threads of a warp touch consecutive elements (coalesced accesses),
      then the loops outside it, up to 256 threads (fewer if the target
      allows fewer per block); reduction loops are not tiled (0);
    - `thread`: the tile of one thread: one element of every parallel
      loop, the whole reduction (each thread runs its reduction loops).

    An op with no parallel loop (a sum to a scalar) gets all-zero tiles: it
    runs as one thread of one block. Runs on tensors (before
    bufferization, where kiln-tune configures ops too) and again on buffers
    (for the copies and fills bufferization made). A loop of dynamic size
    is an error: GPU kernels need static shapes today.

    Matmuls of f16 operands that the tiles divide get a tensor-core
    schedule instead, on GPUs with tensor-core instructions Kiln uses:
    on sm_90a (`mma = "wgmma"`), an f16 x f16 -> f32 matmul gets
    `workgroup = [64, 64, 0], reduction = [0, 0, 16], mma = [64, 64, 16]`
    (one warpgroup per block: kiln-gpu-wgmma-contractions), unless `wgmma`
    is false (the emulated GPU, which cannot run warpgroup instructions);
    otherwise, with `mma.sync`, `workgroup = [64, 64, 0], warp = [32, 32,
    0], reduction = [0, 0, 16], mma = [16, 8, 16]`
    (kiln-gpu-vectorize-contractions).

    With `libraries=cublas` (`--gpu-libraries=cublas`), every matmul
    (`C[m, n] += A[m, k] * B[k, n]`, A and B both f32, f16 or bf16, C f32)
    gets `#kiln_codegen.lowering_config<library = "cublas">` instead: a
    call of cuBLAS (kiln-gpu-library-calls), no kernel of Kiln's. With
    `libraries=cudnn`, every `linalg.conv_2d_nchw_fchw` of f32 tensors gets
    `library = "cudnn"`: a call of cuDNN.

    With `tf32` (`--precision=tf32`), matmuls of f32 operands into f32 get
    the same mma.sync schedule with `mma = [16, 8, 8]`: the tensor cores'
    m16n8k8 tf32 instructions, which read each input with a 10-bit
    mantissa and sum in f32 (never wgmma: Kiln's warpgroup kernel is f16).
  }];
  let options = [
    Option<"wgmma", "wgmma", "bool", /*default=*/"true",
           "Use sm_90a's wgmma schedule where the target has it">,
    Option<"tf32", "tf32", "bool", /*default=*/"false",
           "Give f32 matmuls tf32 tensor-core schedules (mma = [16, 8, 8])">,
    ListOption<"libraries", "libraries", "std::string",
               "Vendor libraries ops may call instead (cublas, cudnn)">,
  ];
  let dependentDialects = ["kiln::codegen::KilnCodegenDialect"];
}

def KilnGPUDecomposePads
    : Pass<"kiln-gpu-decompose-pads", "mlir::func::FuncOp"> {
  let summary = "Write each tensor.pad as a fill and a copy of its interior";
  let description = [{
    Rewrites every `tensor.pad` (on tensors) as a `linalg.fill` of the
    padded tensor with the padding value and a `tensor.insert_slice` of the
    source into its interior (upstream's decomposition): two ops every
    element of which a GPU thread computes, where the CPU's border loops
    (kiln-codegen-decompose-pads) would stay on the host. Bufferization's
    empty-tensor elimination then lets the source's producer write straight
    into the interior.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

def KilnGPUFuseEpilogues
    : Pass<"kiln-gpu-fuse-epilogues", "mlir::func::FuncOp"> {
  let summary = "Elementwise consumers in their producers' SIMT kernels";
  let description = [{
    On tensors, after kiln-gpu-select-lowering-config: an elementwise
    `linalg.generic` (parallel loops, projected-permutation maps, the
    output's the identity and its old value unused) whose operand is the
    only use of a linalg op with reductions (a matmul, a convolution, a
    sum) with a SIMT schedule (`workgroup` and `thread` levels), of the
    consumer's output type and read with the identity map, joins the
    producer's kernel: the consumer updates the producer's result in
    place, and both, with the op that initializes the producer's output
    (a fill, a bias's broadcast) when that has no other use, are tiled
    together onto the producer's block and thread tiles (`scf.forall`s
    mapped to `#gpu.block` and `#gpu.thread` ids, as
    kiln-gpu-tile-and-distribute maps them). Each thread initializes its
    tile, computes the producer's sums into it and applies the consumer
    (bias, ReLU, a residual add, ...) before anything is written to
    memory: one kernel and one pass over the output instead of two.

    Tensor-core schedules (a `warp` level) and library calls are left
    alone; so is a consumer whose tiling fails (its kernel stays its own).
  }];
  let dependentDialects = ["mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect",
                           "mlir::gpu::GPUDialect"];
}

def KilnGPUVectorizeContractions
    : Pass<"kiln-gpu-vectorize-contractions", "mlir::func::FuncOp"> {
  let summary = "Tile contractions onto blocks and warps, as tensor-core tiles";
  let description = [{
    For each linalg contraction on tensors whose lowering_config has a
    `warp` level (the tensor-core schedule kiln-gpu-select-lowering-config
    writes for f16 matmuls on GPUs with `mma_sync`):

    1. its `workgroup` tiles become an `scf.forall` mapped to
       `#gpu.block<linear_dim_N>`, its `warp` tiles one mapped to
       `#gpu.warp<linear_dim_N>` inside it, its `reduction` tiles an
       `scf.for` over K in each warp;
    2. the warp's tile of each K step is vectorized into one
       `vector.contract` (extensions of the operands folded into it), then
       unrolled to the `mma` level's shape (`[16, 8, 16]`: m16n8k16, the
       shape of `mma.sync` for f16 operands; `[16, 8, 8]` for f32 operands,
       which run as tf32 m16n8k8);
    3. the accumulator tiles move out of the K loop into its iteration
       arguments, so that they stay in registers across K.

    After bufferization, kiln-gpu-map-to-launch gives each warp 32 threads
    and convert-vector-to-gpu turns the contractions into `nvgpu.mma.sync`.
    Every tile level must divide the op's loops (no partial tiles).
  }];
  let dependentDialects = ["mlir::scf::SCFDialect",
                           "mlir::affine::AffineDialect",
                           "mlir::gpu::GPUDialect",
                           "mlir::vector::VectorDialect",
                           "mlir::tensor::TensorDialect"];
}

def KilnGPUContractionsToMma
    : Pass<"kiln-gpu-contractions-to-mma", "mlir::gpu::GPUModuleOp"> {
  let summary = "Turn the warps' contractions into mma.sync instructions";
  let description = [{
    In each kernel (`gpu.func`, after outlining) that holds
    `vector.contract`s (the tensor-core schedule's, unrolled to m16n8k16 by
    kiln-gpu-vectorize-contractions),
    rewrites the contractions, their operands' reads and the accumulators'
    writes into `nvgpu.mma.sync` on each lane's fragments (upstream's
    vector-to-nvgpu conversion, applied to those kernels only: the SIMT
    kernels have no vector code for it). Instructions on f32 operands get
    `tf32Enabled` (the schedule chose tf32: there is no f32 mma). A
    contraction it cannot convert is an error.
  }];
  let dependentDialects = ["mlir::nvgpu::NVGPUDialect",
                           "mlir::gpu::GPUDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::vector::VectorDialect"];
}

def KilnGPUWgmmaContractions
    : Pass<"kiln-gpu-wgmma-contractions", "mlir::func::FuncOp"> {
  let summary = "Matmuls as sm_90a warpgroup MMA (wgmma) kernels";
  let description = [{
    For each f16 x f16 -> f32 matmul on buffers whose lowering_config is the
    wgmma schedule (`workgroup = [64, 64, 0], reduction = [0, 0, 16], mma =
    [64, 64, 16]`, no `warp` or `thread` level): a block forall over the
    64 x 64 tiles of C and, in each block, a forall of 128 threads (one
    warpgroup) that, per K step of 16, copies A's and B's tiles into shared
    memory (`memref.alloca` in workgroup memory: kiln-gpu-map-to-launch
    makes them the kernel's shared buffers) in the K-major core-matrix
    layout without swizzling, fences them for the async proxy, and issues
    one `wgmma.mma_async m64n64k16` on their matrix descriptors into 32 f32
    registers per thread, which it adds to C at the end. Unpipelined (no
    TMA); ptxas accepts it for sm_90a, and it has not run on a GPU.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect",
                           "mlir::affine::AffineDialect",
                           "mlir::gpu::GPUDialect",
                           "mlir::LLVM::LLVMDialect",
                           "mlir::NVVM::NVVMDialect",
                           "mlir::memref::MemRefDialect"];
}

def KilnGPUAlignSharedMemory
    : Pass<"kiln-gpu-align-shared-memory", "mlir::gpu::GPUModuleOp"> {
  let summary = "Align every kernel's shared buffers to 16 bytes";
  let description = [{
    Sets `llvm.align = 16` on each workgroup attribution of each kernel
    (`gpu.func`), which PTX emits as `.shared .align 16`: shared-memory
    matrix descriptors (wgmma) and 16-byte copies need it; otherwise a
    buffer is only aligned to its element type.
  }];
}

def KilnGPUCopiesToLinalg
    : Pass<"kiln-gpu-copies-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Make every buffer copy a linalg.copy, which becomes a kernel";
  let description = [{
    Rewrites each `memref.copy` outside a kernel (bufferization's copies of
    slices, of results) as `linalg.copy`, so that it is configured, tiled
    and mapped onto the GPU like any other linalg op instead of running on
    the host.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def KilnGPUTileAndDistribute
    : Pass<"kiln-gpu-tile-and-distribute", "mlir::func::FuncOp"> {
  let summary = "Tile linalg ops on buffers onto thread blocks and threads";
  let description = [{
    Tiles each linalg op on buffers that carries a lowering_config with
    `workgroup` and `thread` levels twice: its `workgroup` tiles become an
    `scf.forall` mapped to `#gpu.block<linear_dim_N>` (one iteration per
    thread block), and each block's `thread` tiles an `scf.forall` mapped
    to `#gpu.thread<linear_dim_N>` inside it. The innermost tiled loop is
    `linear_dim_0`, the fastest-varying id. An op with no tiled loop gets
    a one-iteration forall at both levels. Such foralls are the GPU
    schedule as loops: kiln-gpu-map-to-launch makes them kernels, and the
    emulated device (`--device=emulated-cuda`) runs them as CPU loops.
    A linalg op outside a kernel without such a config is an error.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect",
                           "mlir::affine::AffineDialect",
                           "mlir::gpu::GPUDialect",
                           "mlir::memref::MemRefDialect"];
}

def KilnGPUCheckHostCode
    : Pass<"kiln-gpu-check-host-code", "mlir::func::FuncOp"> {
  let summary = "Reject host code that would touch the GPU's buffers";
  let description = [{
    After tiling, every op of a host function that reads or writes a buffer
    must be inside a block-mapped `scf.forall` (or a `gpu.launch`): the
    buffers live in GPU memory. Anything else (a load, a store, a copy no
    kernel was made for) is an error naming the op, instead of a silent
    fallback to the host. Allocations, deallocations and views are host
    work and allowed, and so are ops a vendor library computes on the GPU
    (a `lowering_config` with a `library`).
  }];
}

def KilnGPULibraryCalls
    : Pass<"kiln-gpu-library-calls", "mlir::ModuleOp"> {
  let summary = "Ops a vendor library computes, as calls of Kiln's runtime";
  let description = [{
    Each `linalg.matmul` (or a generic op of the same maps and body) on
    device buffers whose lowering_config says `library = "cublas"` becomes
    a call of `kiln_cuda_gemm` (Kiln's CUDA runtime, which loads cuBLAS at
    run time and calls `cublasGemmEx`) with the buffers' device addresses,
    sizes and row strides: A and B f32, f16 or bf16, C f32, accumulated
    into. The operands must be row-major (unit inner stride).

    Each `linalg.conv_2d_nchw_fchw` of f32 buffers whose config says
    `library = "cudnn"` becomes a call of `kiln_cuda_conv2d` (cuDNN's
    `cudnnConvolutionForward`, loaded at run time) with the input's and
    output's addresses, sizes and strides (any), the packed filters'
    address and sizes, the strides and dilations, and no padding (pads are
    fills and copies by now): the output accumulates the convolution.

    A call waits for the GPU's earlier work (gpu-async-region puts a
    `gpu.wait` before it) and returns when its output is written.

    ```mlir
    linalg.matmul {lowering_config = #kiln_codegen.lowering_config<library = "cublas">}
        ins(%a, %b : memref<128x64xf32>, memref<64x256xf32>) outs(%c : memref<128x256xf32>)
    // becomes
    func.call @kiln_cuda_gemm(%c0_i32, %false_i32, %c128, %c256, %c64,
                              %a_address, %c64, %b_address, %c256, %c_address, %c256)
    ```

    `tf32`: cuBLAS and cuDNN may read f32 inputs as tf32
    (`--precision=tf32`, whose inputs kiln-gpu-reduce-precision rounded
    already; without it cuDNN computes with FMA math only). `emulate`: the
    emulated GPU has no cuBLAS: the op stays, its config dropped, and the
    CPU computes it.
  }];
  let options = [
    Option<"tf32", "tf32", "bool", /*default=*/"false",
           "cuBLAS and cuDNN may compute f32 with tf32 tensor cores">,
    Option<"emulate", "emulate", "bool", /*default=*/"false",
           "Leave the ops to the CPU (the emulated GPU)">,
  ];
  let dependentDialects = ["mlir::func::FuncDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::memref::MemRefDialect"];
}

def KilnGPUMapToLaunch : Pass<"kiln-gpu-map-to-launch", "mlir::func::FuncOp"> {
  let summary = "Turn block- and thread-mapped foralls into gpu.launch";
  let description = [{
    Replaces each `scf.forall` mapped to `#gpu.block<linear_dim_N>` by a
    `gpu.launch` whose grid is the forall's iterations (one dimension, x:
    the block id is delinearized into the forall's indices, linear_dim_0
    fastest), and each `scf.forall` mapped to `#gpu.thread<linear_dim_N>`
    inside it by the thread id delinearized the same way. The block size is
    the largest static bound of its thread foralls; a thread whose indices
    fall outside a (partial) forall does nothing. A `memref.alloca` in
    workgroup memory in a block's body becomes a shared buffer of the
    kernel (a workgroup attribution of the launch). Trip counts must have
    static bounds; a block size above the target's
    `max_threads_per_block` is an error.
  }];
  let dependentDialects = ["mlir::gpu::GPUDialect", "mlir::scf::SCFDialect",
                           "mlir::affine::AffineDialect",
                           "mlir::arith::ArithDialect"];
}

def KilnGPUMergeKernelModules
    : Pass<"kiln-gpu-merge-kernel-modules", "mlir::ModuleOp"> {
  let summary = "Put every outlined kernel into one gpu.module";
  let description = [{
    gpu-kernel-outlining makes one `gpu.module` per kernel; this pass moves
    every kernel into the first of them, renamed `kiln_kernels`, and points
    each `gpu.launch_func` at it. One module becomes one PTX file (one cubin,
    one fatbin) per architecture, loaded once.
  }];
}

def KilnGPUReducePrecision
    : Pass<"kiln-gpu-reduce-precision", "mlir::func::FuncOp"> {
  let summary = "Matmul and convolution inputs in 16 bits or tf32, sums in f32";
  let description = [{
    `--precision=fp16|bf16`: every contraction or convolution of f32
    tensors into an f32 tensor (products summed, nothing else) reads its
    inputs rounded to f16 or bf16 (to nearest, ties to even) and widens
    them in its body, so the products and their sum stay f32. Constant
    inputs (weights) are rounded now; others by an elementwise op before
    the contraction. A matmul whose inputs become f16 gets the tensor-core
    schedule (kiln-gpu-select-lowering-config); bf16 ones stay SIMT (MLIR
    22's mma.sync conversion takes no bf16). `tf32`
    rounds the inputs to tf32 (a 10-bit mantissa, to nearest, ties to even)
    but keeps them f32: the values the tensor cores' tf32 instructions read
    exactly (kiln-gpu-select-lowering-config{tf32} gives the matmuls those
    schedules; the emulated GPU and SIMT kernels compute with the same
    rounded values). `fp32` leaves everything as it is.

    ```mlir
    %c = linalg.matmul ins(%a, %w : tensor<64x32xf32>, tensor<32x64xf32>)
                       outs(%acc : tensor<64x64xf32>) -> tensor<64x64xf32>
    // becomes (precision=fp16)
    %a16 = linalg.generic ... ins(%a : tensor<64x32xf32>) { arith.truncf }
    %w16 = arith.constant dense<...> : tensor<32x64xf16>
    %c = linalg.generic ... ins(%a16, %w16 : tensor<64x32xf16>, tensor<32x64xf16>)
                            outs(%acc : tensor<64x64xf32>) { arith.extf, arith.mulf, arith.addf }
    ```
  }];
  let options = [
    Option<"precision", "precision", "std::string", "\"fp32\"",
           "fp32 or tf32 (no change), fp16 or bf16">,
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::tensor::TensorDialect"];
}

def KilnGPUPrivateAccumulators
    : Pass<"kiln-gpu-private-accumulators", "mlir::func::FuncOp"> {
  let summary = "Accumulate a thread's reductions in registers";
  let description = [{
    A linalg op with reduction loops directly in a thread's `scf.forall`
    (`#gpu.thread` ids) whose output tile is static and small (at most 16
    elements: a SIMT matmul's, a convolution's, a row sum's one element)
    accumulates into a private buffer (`memref.alloca`) instead: the tile
    is copied in before and out after. The private buffer cannot alias the
    inputs, so LLVM keeps the sum in registers; written to the output
    buffer, every step of the reduction was a store to global memory (the
    inputs' loads could read it).

    ```mlir
    linalg.matmul ins(%a, %b : ...) outs(%c : memref<1x1xf32, strided<...>>)
    // becomes
    %acc = memref.alloca() : memref<1x1xf32>
    linalg.copy ins(%c : ...) outs(%acc : memref<1x1xf32>)
    linalg.matmul ins(%a, %b : ...) outs(%acc : memref<1x1xf32>)
    linalg.copy ins(%acc : memref<1x1xf32>) outs(%c : ...)
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::memref::MemRefDialect"];
}

def KilnGPUDeviceBuffers
    : Pass<"kiln-gpu-device-buffers", "mlir::func::FuncOp"> {
  let summary = "Put a GPU function's buffers in the GPU's memory";
  let description = [{
    After kiln-gpu-check-host-code, every buffer a host function's kernels
    touch must be in device memory. This pass makes it so:

    - a host `memref.alloc` / `memref.alloca` becomes `gpu.alloc` (and its
      `memref.dealloc`, or the end of the alloca's block, `gpu.dealloc`);
    - a host `memref.get_global` of a constant becomes
      `kiln_codegen.device_constant` (the weights, copied once per process);
    - each memref argument (the caller's inputs and outputs, in host
      memory) gets a device buffer: copied in at entry (`gpu.memcpy`) if the
      function may read it, copied back before each return if it may write
      it, freed after. What reads and writes an argument is found through
      its views (subviews, reshapes, casts); an op whose effects are
      unknown counts as both.

    Host code is what is not inside a block-mapped `scf.forall` or a
    `gpu.launch`.

    With `arguments-on-device`, the caller passes device memory (it owns
    the buffers and copies them itself): the arguments are used as they
    are, without copies. kiln-tune's harness times kernels this way.
  }];
  let options = [
    Option<"argumentsOnDevice", "arguments-on-device", "bool", "false",
           "The memref arguments are device memory already: no copies in "
           "or out">,
  ];
  let dependentDialects = ["mlir::gpu::GPUDialect",
                           "kiln::codegen::KilnCodegenDialect"];
}

def KilnGPUEmulateDeviceMemory
    : Pass<"kiln-gpu-emulate-device-memory", "mlir::func::FuncOp"> {
  let summary = "Device memory in host memory, for the emulated GPU";
  let description = [{
    For `--device=emulated-cuda`: `gpu.alloc` becomes `memref.alloc`,
    `gpu.dealloc` `memref.dealloc`, `gpu.memcpy` `memref.copy` and
    `kiln_codegen.device_constant` `memref.get_global`, so the copies
    kiln-gpu-device-buffers adds run on the CPU like the rest of the
    schedule. A thread's private buffers (static `memref.alloca`s in the
    kernels) move to the top of the function: the emulated threads run one
    after another, and stack allocations in their loops would grow the
    stack on every iteration.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def KilnGPULowerDeviceConstants
    : Pass<"kiln-gpu-lower-device-constants", "mlir::ModuleOp"> {
  let summary = "Device copies of constants as calls of Kiln's CUDA runtime";
  let description = [{
    Each `kiln_codegen.device_constant @g : memref<...>` becomes
    `kiln_cuda_device_constant(host address of @g, bytes)`, which returns
    the device copy (made on the first call, then cached), wrapped in a
    memref descriptor of the global's static shape (LLVM dialect, joined to
    the memref type with `unrealized_conversion_cast`s that the LLVM
    conversion resolves). Runs on the host module before gpu-to-llvm.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect"];
}

#endif // KILN_TARGET_GPU_PASSES_TD
