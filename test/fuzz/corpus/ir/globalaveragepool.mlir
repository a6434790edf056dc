module {
  func.func @test_globalaveragepool(%arg0: tensor<1x3x5x5xf32> {nn.name = "x"}) -> (tensor<1x3x1x1xf32> {nn.name = "y"}) {
    %0 = nn.global_avg_pool %arg0 : tensor<1x3x5x5xf32> -> tensor<1x3x1x1xf32>
    return %0 : tensor<1x3x1x1xf32>
  }
}
