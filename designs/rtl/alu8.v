// 8-bit ALU: add, subtract, and, or, xor, shift left/right, compare; written for qor's own designs.
module alu8 (
    input  [7:0] a,
    input  [7:0] b,
    input  [2:0] op,
    output reg [7:0] y,
    output zero,
    output carry
);
    wire [8:0] sum  = {1'b0, a} + {1'b0, b};
    wire [8:0] diff = {1'b0, a} - {1'b0, b};
    always @(*) begin
        case (op)
            3'd0: y = sum[7:0];
            3'd1: y = diff[7:0];
            3'd2: y = a & b;
            3'd3: y = a | b;
            3'd4: y = a ^ b;
            3'd5: y = a << b[2:0];
            3'd6: y = a >> b[2:0];
            default: y = (a < b) ? 8'd1 : 8'd0;
        endcase
    end
    assign zero = (y == 8'd0);
    assign carry = (op == 3'd0) ? sum[8] : diff[8];
endmodule
