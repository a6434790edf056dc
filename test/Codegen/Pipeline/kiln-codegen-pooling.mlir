// ResNet's ReLU + 3x3/2 max pooling through the CPU pipeline. The ReLU
// writes straight into the interior of the pooling's padded buffer (no copy
// of the activation: kiln-codegen-decompose-pads and empty-tensor elimination),
// and each window position's stride-2 row is one contiguous read and a
// shuffle (kiln-cpu-contiguous-strided-reads), not 16 element reads.
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-codegen{stop-after=tiled})' | FileCheck %s --check-prefix=TILED
// RUN: kiln-opt %s --pass-pipeline='builtin.module(kiln-codegen{stop-after=bufferized})' | FileCheck %s --check-prefix=BUFFERS

// TILED-LABEL: func.func @relu_max_pool
// TILED-COUNT-9: vector.shuffle %{{.+}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<31xf32>, vector<31xf32>

// BUFFERS-LABEL: func.func @relu_max_pool
// BUFFERS: %[[PADDED:.+]] = memref.alloc() {{.+}} : memref<1x8x34x34xf32>
// BUFFERS-NOT: memref.alloc
// BUFFERS-NOT: memref.copy
// BUFFERS: return

func.func @relu_max_pool(%x: tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32> {
  %0 = nn.relu %x : tensor<1x8x32x32xf32>
  %1 = nn.max_pool2d %0 kernel [3, 3] strides [2, 2] padding [1, 1, 1, 1] dilations [1, 1] : tensor<1x8x32x32xf32> -> tensor<1x8x16x16xf32>
  return %1 : tensor<1x8x16x16xf32>
}
