// One step of CRC-16/CCITT over a 16-bit word (combinational, unrolled).
module crc16 (
    input  [15:0] crc_in,
    input  [15:0] data,
    output [15:0] crc_out
);
    function [15:0] step;
        input [15:0] c;
        input d;
        begin
            step = {c[14:0], 1'b0} ^ ((c[15] ^ d) ? 16'h1021 : 16'h0000);
        end
    endfunction
    wire [15:0] s [0:16];
    assign s[0] = crc_in;
    genvar i;
    generate
        for (i = 0; i < 16; i = i + 1) begin : g
            assign s[i + 1] = step(s[i], data[15 - i]);
        end
    endgenerate
    assign crc_out = s[16];
endmodule
