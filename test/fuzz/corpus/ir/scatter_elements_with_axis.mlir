module {
  func.func @test_scatter_elements_with_axis(%arg0: tensor<1x5xf32> {nn.name = "data"}, %arg1: tensor<1x2xi64> {nn.name = "indices"}, %arg2: tensor<1x2xf32> {nn.name = "updates"}) -> (tensor<1x5xf32> {nn.name = "y"}) {
    %0 = nn.constant dense<0> : tensor<i64>
    %1 = nn.less %arg1, %0 : (tensor<1x2xi64>, tensor<i64>) -> tensor<1x2xi1>
    %2 = nn.constant dense<5> : tensor<i64>
    %3 = nn.add %arg1, %2 : (tensor<1x2xi64>, tensor<i64>) -> tensor<1x2xi64>
    %4 = nn.select %1, %3, %arg1 : (tensor<1x2xi1>, tensor<1x2xi64>, tensor<1x2xi64>) -> tensor<1x2xi64>
    %5 = nn.transpose %arg0 [0, 1] : tensor<1x5xf32> -> tensor<1x5xf32>
    %6 = nn.transpose %4 [0, 1] : tensor<1x2xi64> -> tensor<1x2xi64>
    %7 = nn.transpose %arg2 [0, 1] : tensor<1x2xf32> -> tensor<1x2xf32>
    %8 = nn.constant dense<[[[0, 1, 2, 3, 4]]]> : tensor<1x1x5xi64>
    %9 = nn.reshape %6 [1, 2, 1] : tensor<1x2xi64> -> tensor<1x2x1xi64>
    %10 = nn.equal %9, %8 : (tensor<1x2x1xi64>, tensor<1x1x5xi64>) -> tensor<1x2x5xi1>
    %11 = nn.reshape %7 [1, 2, 1] : tensor<1x2xf32> -> tensor<1x2x1xf32>
    %12 = nn.constant dense<5.000000e-01> : tensor<f32>
    %13 = nn.cast %10 : tensor<1x2x5xi1> -> tensor<1x2x5xf32>
    %14 = nn.reduce_max %13 axes [1] : tensor<1x2x5xf32> -> tensor<1x5xf32>
    %15 = nn.greater %14, %12 : (tensor<1x5xf32>, tensor<f32>) -> tensor<1x5xi1>
    %16 = nn.constant dense<0.000000e+00> : tensor<f32>
    %17 = nn.select %10, %11, %16 : (tensor<1x2x5xi1>, tensor<1x2x1xf32>, tensor<f32>) -> tensor<1x2x5xf32>
    %18 = nn.reduce_sum %17 axes [1] : tensor<1x2x5xf32> -> tensor<1x5xf32>
    %19 = nn.select %15, %18, %5 : (tensor<1x5xi1>, tensor<1x5xf32>, tensor<1x5xf32>) -> tensor<1x5xf32>
    %20 = nn.transpose %19 [0, 1] : tensor<1x5xf32> -> tensor<1x5xf32>
    return %20 : tensor<1x5xf32>
  }
}
