// Four-way round-robin arbiter with a priority pointer; sequential.
module arbiter4 (
    input clk,
    input rst,
    input [3:0] req,
    output reg [3:0] grant
);
    reg [1:0] last;
    wire [7:0] double = {req, req} >> (last + 2'd1);
    wire [3:0] rotated = double[3:0];
    wire [1:0] pick = rotated[0] ? 2'd0 : rotated[1] ? 2'd1 : rotated[2] ? 2'd2 : 2'd3;
    wire [1:0] winner = pick + last + 2'd1;
    always @(posedge clk) begin
        if (rst) begin
            grant <= 4'd0;
            last <= 2'd3;
        end else if (req != 4'd0) begin
            grant <= 4'd1 << winner;
            last <= winner;
        end else begin
            grant <= 4'd0;
        end
    end
endmodule
