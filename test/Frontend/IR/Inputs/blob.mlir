// A weight in a dense_resource blob: the first 4 bytes of the hex string
// are the blob's alignment (little-endian), ALIGN here, then two floats
// 1.0 and 2.0. screen-ir-text.test substitutes ALIGN.

func.func @f() -> tensor<2xf32> {
  %c = nn.constant dense_resource<w> : tensor<2xf32>
  return %c : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0xALIGN0000803F00000040"
    }
  }
#-}
