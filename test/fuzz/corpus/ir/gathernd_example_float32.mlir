module {
  func.func @test_gathernd_example_float32(%arg0: tensor<2x2x2xf32> {nn.name = "data"}, %arg1: tensor<2x1x2xi64> {nn.name = "indices"}) -> (tensor<2x1x2xf32> {nn.name = "output"}) {
    %0 = nn.slice %arg1 starts [0, 0, 0] ends [2, 1, 1] : tensor<2x1x2xi64> -> tensor<2x1x1xi64>
    %1 = nn.reshape %0 [2, 1] : tensor<2x1x1xi64> -> tensor<2x1xi64>
    %2 = nn.constant dense<0> : tensor<i64>
    %3 = nn.less %1, %2 : (tensor<2x1xi64>, tensor<i64>) -> tensor<2x1xi1>
    %4 = nn.constant dense<2> : tensor<i64>
    %5 = nn.add %1, %4 : (tensor<2x1xi64>, tensor<i64>) -> tensor<2x1xi64>
    %6 = nn.select %3, %5, %1 : (tensor<2x1xi1>, tensor<2x1xi64>, tensor<2x1xi64>) -> tensor<2x1xi64>
    %7 = nn.constant dense<2> : tensor<i64>
    %8 = nn.mul %6, %7 : (tensor<2x1xi64>, tensor<i64>) -> tensor<2x1xi64>
    %9 = nn.slice %arg1 starts [0, 0, 1] ends [2, 1, 2] : tensor<2x1x2xi64> -> tensor<2x1x1xi64>
    %10 = nn.reshape %9 [2, 1] : tensor<2x1x1xi64> -> tensor<2x1xi64>
    %11 = nn.constant dense<0> : tensor<i64>
    %12 = nn.less %10, %11 : (tensor<2x1xi64>, tensor<i64>) -> tensor<2x1xi1>
    %13 = nn.constant dense<2> : tensor<i64>
    %14 = nn.add %10, %13 : (tensor<2x1xi64>, tensor<i64>) -> tensor<2x1xi64>
    %15 = nn.select %12, %14, %10 : (tensor<2x1xi1>, tensor<2x1xi64>, tensor<2x1xi64>) -> tensor<2x1xi64>
    %16 = nn.constant dense<1> : tensor<i64>
    %17 = nn.mul %15, %16 : (tensor<2x1xi64>, tensor<i64>) -> tensor<2x1xi64>
    %18 = nn.add %8, %17 : (tensor<2x1xi64>, tensor<2x1xi64>) -> tensor<2x1xi64>
    %19 = nn.reshape %arg0 [4, 2] : tensor<2x2x2xf32> -> tensor<4x2xf32>
    %20 = nn.gather %19, %18 : (tensor<4x2xf32>, tensor<2x1xi64>) -> tensor<2x1x2xf32>
    return %20 : tensor<2x1x2xf32>
  }
}
