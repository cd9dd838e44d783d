// Traffic-light controller with a pedestrian request and a timer; a small sequential design.
module traffic (
    input clk,
    input rst,
    input ped,
    input car_ns,
    input car_ew,
    output [1:0] ns_light,
    output [1:0] ew_light,
    output walk
);
    localparam NS_GREEN = 3'd0, NS_YELLOW = 3'd1, EW_GREEN = 3'd2, EW_YELLOW = 3'd3, WALK = 3'd4;
    reg [2:0] state;
    reg [4:0] timer;
    reg pending;
    always @(posedge clk) begin
        if (rst) begin
            state <= NS_GREEN;
            timer <= 5'd0;
            pending <= 1'b0;
        end else begin
            if (ped) pending <= 1'b1;
            timer <= timer + 5'd1;
            case (state)
                NS_GREEN:  if (timer > 5'd20 && (car_ew || pending)) begin state <= NS_YELLOW; timer <= 0; end
                NS_YELLOW: if (timer > 5'd3) begin state <= pending ? WALK : EW_GREEN; timer <= 0; end
                EW_GREEN:  if (timer > 5'd15 && (car_ns || pending)) begin state <= EW_YELLOW; timer <= 0; end
                EW_YELLOW: if (timer > 5'd3) begin state <= pending ? WALK : NS_GREEN; timer <= 0; end
                default:   if (timer > 5'd10) begin state <= NS_GREEN; timer <= 0; pending <= 1'b0; end
            endcase
        end
    end
    assign ns_light = state == NS_GREEN ? 2'd2 : state == NS_YELLOW ? 2'd1 : 2'd0;
    assign ew_light = state == EW_GREEN ? 2'd2 : state == EW_YELLOW ? 2'd1 : 2'd0;
    assign walk = state == WALK;
endmodule
