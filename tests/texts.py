"""Texts shared by the token, sentence and packing tests."""

LONG = (
    "青岚县今年投入资金2.3亿元，建成32个服务站。服务站覆盖12个乡镇，服务半径不超过8公里。"
    "The council approved a $48.6 million budget. Parks receive $6.2 million, up from $5.1 million. "
) * 30
