// Benchmark "designs/gen/adder_8" written by ABC

module \designs/gen/adder_8  ( 
    a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7,
    s0, s1, s2, s3, s4, s5, s6, s7, s8  );
  input  a0, a1, a2, a3, a4, a5, a6, a7, b0, b1, b2, b3, b4, b5, b6, b7;
  output s0, s1, s2, s3, s4, s5, s6, s7, s8;
  wire new_n26_, new_n27_, new_n29_, new_n30_, new_n31_, new_n32_, new_n33_,
    new_n34_, new_n35_, new_n36_, new_n37_, new_n38_, new_n40_, new_n41_,
    new_n42_, new_n43_, new_n44_, new_n45_, new_n46_, new_n47_, new_n48_,
    new_n49_, new_n50_, new_n51_, new_n52_, new_n54_, new_n55_, new_n56_,
    new_n57_, new_n58_, new_n59_, new_n60_, new_n61_, new_n62_, new_n63_,
    new_n64_, new_n65_, new_n66_, new_n67_, new_n69_, new_n70_, new_n71_,
    new_n72_, new_n73_, new_n74_, new_n75_, new_n76_, new_n77_, new_n78_,
    new_n79_, new_n80_, new_n82_, new_n83_, new_n84_, new_n85_, new_n86_,
    new_n87_, new_n88_, new_n89_, new_n90_, new_n92_, new_n93_, new_n94_,
    new_n95_, new_n96_, new_n97_, new_n98_, new_n99_, new_n100_, new_n101_,
    new_n102_, new_n103_, new_n105_, new_n106_, new_n107_, new_n108_,
    new_n109_, new_n110_, new_n111_, new_n112_, new_n113_, new_n114_,
    new_n115_, new_n116_, new_n117_, new_n119_, new_n120_, new_n121_,
    new_n122_, new_n123_;
  assign new_n26_ = ~a0 & b0;
  assign new_n27_ = a0 & ~b0;
  assign s0 = new_n26_ | new_n27_;
  assign new_n29_ = a1 & b1;
  assign new_n30_ = ~a1 & ~b1;
  assign new_n31_ = ~new_n29_ & ~new_n30_;
  assign new_n32_ = b0 & ~new_n31_;
  assign new_n33_ = a0 & new_n32_;
  assign new_n34_ = ~a1 & b1;
  assign new_n35_ = a1 & ~b1;
  assign new_n36_ = ~new_n34_ & ~new_n35_;
  assign new_n37_ = a0 & b0;
  assign new_n38_ = ~new_n36_ & ~new_n37_;
  assign s1 = new_n33_ | new_n38_;
  assign new_n40_ = a2 & b2;
  assign new_n41_ = ~a2 & ~b2;
  assign new_n42_ = ~new_n40_ & ~new_n41_;
  assign new_n43_ = b0 & ~new_n30_;
  assign new_n44_ = a0 & new_n43_;
  assign new_n45_ = ~new_n29_ & ~new_n44_;
  assign new_n46_ = ~new_n42_ & ~new_n45_;
  assign new_n47_ = ~a2 & b2;
  assign new_n48_ = a2 & ~b2;
  assign new_n49_ = ~new_n47_ & ~new_n48_;
  assign new_n50_ = ~new_n29_ & ~new_n37_;
  assign new_n51_ = ~new_n30_ & ~new_n50_;
  assign new_n52_ = ~new_n49_ & ~new_n51_;
  assign s2 = new_n46_ | new_n52_;
  assign new_n54_ = ~b1 & ~new_n37_;
  assign new_n55_ = a1 & ~new_n54_;
  assign new_n56_ = b1 & new_n37_;
  assign new_n57_ = ~new_n55_ & ~new_n56_;
  assign new_n58_ = ~new_n41_ & ~new_n57_;
  assign new_n59_ = ~new_n40_ & ~new_n58_;
  assign new_n60_ = ~a3 & b3;
  assign new_n61_ = a3 & ~b3;
  assign new_n62_ = ~new_n60_ & ~new_n61_;
  assign new_n63_ = new_n59_ & ~new_n62_;
  assign new_n64_ = a3 & b3;
  assign new_n65_ = ~a3 & ~b3;
  assign new_n66_ = ~new_n64_ & ~new_n65_;
  assign new_n67_ = ~new_n59_ & ~new_n66_;
  assign s3 = new_n63_ | new_n67_;
  assign new_n69_ = ~a4 & b4;
  assign new_n70_ = a4 & ~b4;
  assign new_n71_ = ~new_n69_ & ~new_n70_;
  assign new_n72_ = new_n59_ & ~new_n64_;
  assign new_n73_ = ~new_n65_ & ~new_n72_;
  assign new_n74_ = ~new_n71_ & ~new_n73_;
  assign new_n75_ = ~new_n59_ & ~new_n65_;
  assign new_n76_ = ~new_n64_ & ~new_n75_;
  assign new_n77_ = a4 & b4;
  assign new_n78_ = ~a4 & ~b4;
  assign new_n79_ = ~new_n77_ & ~new_n78_;
  assign new_n80_ = ~new_n76_ & ~new_n79_;
  assign s4 = new_n74_ | new_n80_;
  assign new_n82_ = ~a5 & b5;
  assign new_n83_ = a5 & ~b5;
  assign new_n84_ = ~new_n82_ & ~new_n83_;
  assign new_n85_ = ~new_n73_ & ~new_n77_;
  assign new_n86_ = ~new_n78_ & ~new_n85_;
  assign new_n87_ = ~new_n84_ & ~new_n86_;
  assign new_n88_ = ~new_n76_ & ~new_n78_;
  assign new_n89_ = ~new_n77_ & ~new_n88_;
  assign new_n90_ = new_n84_ & ~new_n89_;
  assign s5 = new_n87_ | new_n90_;
  assign new_n92_ = ~new_n84_ & ~new_n89_;
  assign new_n93_ = a5 & b5;
  assign new_n94_ = a6 & b6;
  assign new_n95_ = ~a6 & ~b6;
  assign new_n96_ = ~new_n94_ & ~new_n95_;
  assign new_n97_ = ~new_n92_ & ~new_n93_;
  assign new_n98_ = ~new_n96_ & ~new_n97_;
  assign new_n99_ = ~a6 & b6;
  assign new_n100_ = a6 & ~b6;
  assign new_n101_ = ~new_n99_ & ~new_n100_;
  assign new_n102_ = ~new_n93_ & ~new_n101_;
  assign new_n103_ = ~new_n92_ & new_n102_;
  assign s6 = new_n98_ | new_n103_;
  assign new_n105_ = a7 & b7;
  assign new_n106_ = ~a7 & ~b7;
  assign new_n107_ = ~new_n105_ & ~new_n106_;
  assign new_n108_ = ~new_n95_ & ~new_n97_;
  assign new_n109_ = ~new_n94_ & ~new_n108_;
  assign new_n110_ = ~new_n107_ & ~new_n109_;
  assign new_n111_ = ~a7 & b7;
  assign new_n112_ = a7 & ~b7;
  assign new_n113_ = ~new_n111_ & ~new_n112_;
  assign new_n114_ = ~new_n93_ & ~new_n94_;
  assign new_n115_ = ~new_n92_ & new_n114_;
  assign new_n116_ = ~new_n95_ & ~new_n115_;
  assign new_n117_ = ~new_n113_ & ~new_n116_;
  assign s7 = new_n110_ | new_n117_;
  assign new_n119_ = b6 & ~new_n97_;
  assign new_n120_ = ~a6 & ~new_n119_;
  assign new_n121_ = ~b6 & new_n97_;
  assign new_n122_ = ~new_n120_ & ~new_n121_;
  assign new_n123_ = ~new_n105_ & ~new_n122_;
  assign s8 = ~new_n106_ & ~new_n123_;
endmodule


