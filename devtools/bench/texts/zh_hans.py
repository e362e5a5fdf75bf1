"""Chinese (simplified) texts of generated listings, parallel to the English lists (en.py).

Chinese writes no spaces between words: a word such as 干燥 (drying) is found inside
longer ones (太阳能干燥机, 干燥气候), which is what a search in Chinese must handle."""

# ruff: noqa: RUF001 (Chinese writes its commas and colons full-width)

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .concept import Concept

SECTOR_WORDS: dict[str, tuple[list[str], list[str]]] = {
    "agro-food-processing": (
        ["太阳能干燥机", "冷链单元", "碾磨生产线", "密封储粮仓", "发酵反应器", "榨油机"],
        ["木薯加工", "芒果加工", "可可豆加工", "咖啡鲜果处理", "渔获上岸点", "乳品合作社"],
    ),
    "renewable-energy": (
        ["沼气发酵罐", "太阳能水泵", "微型水轮机", "生物质气化炉", "风光互补发电系统", "光伏微电网"],
        ["农工业残余物处理", "农村灌溉", "离网村庄", "锯木厂", "茶厂", "乡村诊所"],
    ),
    "energy-efficiency": (
        ["余热回收系统", "窑炉改造套件", "变频驱动器", "疏水阀监测仪", "热泵", "LED照明改造套件"],
        ["砖窑", "锅炉房", "铸造厂", "乳品厂", "压缩空气管网", "纺织印染厂"],
    ),
    "water-wastewater": (
        ["膜过滤器", "人工湿地", "电絮凝装置", "紫外线消毒装置", "集雾取水装置"],
        ["制革废水", "家庭饮用水", "棕榈油厂废水", "城市污水", "干旱地区村庄"],
    ),
    "waste-circular-economy": (
        ["热解装置", "分拣线", "堆肥系统", "溶剂分解工艺", "升级再造工艺"],
        ["废旧轮胎", "塑料包装", "电子废物", "农贸市场垃圾", "稻草", "废旧风机叶片"],
    ),
    "advanced-materials": (
        ["生物基复合材料", "纳米纤维素涂层", "二氧化硅填料", "生物塑料树脂", "气凝胶隔热材料"],
        ["食品包装", "汽车零部件", "电缆绝缘", "建筑板材", "农用薄膜"],
    ),
    "chemicals": (
        ["酶法工艺", "绿色溶剂", "生物基胶粘剂", "催化转化器", "生物刺激素"],
        ["胶合板厂", "医药中间体生产", "蔬菜农场", "涂料生产商", "皮革鞣制"],
    ),
    "advanced-manufacturing": (
        ["协作机器人", "视觉引导分拣机", "3D打印单元", "数控机床改造套件", "激光熔覆设备"],
        ["腰果脱壳", "服装缝制", "备件修复", "小型机加工车间", "电子装配"],
    ),
    "industrial-digital": (
        ["预测性维护平台", "数字孪生系统", "能源管理看板", "物联网传感器套件", "中小企业制造执行系统"],
        ["旋转机械", "纺纱厂", "水泥厂", "食品工厂", "供水企业"],
    ),
    "transport-mobility": (
        ["电池换电站", "电动三轮车", "路线优化系统", "氢燃料电池", "电动自行车改装套件"],
        ["城市配送", "公共交通", "最后一公里物流", "港口作业", "校车接送"],
    ),
    "construction-materials": (
        ["土砖压制机", "低熟料胶凝材料", "竹制板材", "再生骨料", "保温砂浆"],
        ["经济适用房", "乡村学校", "道路建设", "炎热地区建筑", "灾后安置房"],
    ),
    "textiles-leather": (
        ["染料回收系统", "无水染色机", "无铬鞣制工艺", "纤维回收生产线"],
        ["棉针织物", "牛仔布后整理", "皮革制品", "服装边角料", "羊毛洗涤"],
    ),
    "pharma-health": (
        ["纸基快速检测试剂", "制氧机", "疫苗冷藏箱", "消毒灭菌装置", "遥测贴片"],
        ["乡村卫生站", "孕产妇保健", "疟疾筛查", "县级医院", "流动诊所"],
    ),
    "environmental-monitoring": (
        ["空气质量传感网络", "甲烷泄漏探测器", "水质探头", "噪声地图系统"],
        ["工业园区", "垃圾填埋场", "河流湖泊", "矿区", "城市中心"],
    ),
    "mining-metals": (
        ["生物浸出工艺", "尾矿脱水干燥装置", "无汞黄金重选设备", "炉渣资源化技术"],
        ["低品位铜矿石", "手工采金", "钢铁厂", "老旧尾矿坝", "赤泥"],
    ),
    "electronics": (
        ["智能电表", "微电网控制器", "光伏逆变器", "电池管理系统", "电力线载波通信模块"],
        ["村级微电网", "屋顶光伏", "通信铁塔", "冷库", "电动汽车"],
    ),
}
GENERIC_WORDS = (
    ["模块化系统", "工艺", "紧凑型装置", "监测套件"],
    ["中小企业", "工业园区", "发展中经济体"],
)
ADJECTIVES = [
    "低成本",
    "模块化",
    "太阳能驱动",
    "紧凑型",
    "集装箱式",
    "高效",
    "低碳",
    "智能",
    "便携式",
    "开源",
    "节水型",
    "可扩展",
]
BENEFITS = [
    "可降低能耗{n}%",
    "可减少用水量{n}%",
    "可降低运营成本{n}%",
    "可使送往填埋场的废物减少一半",
    "每台每年可减少二氧化碳排放{n}吨",
    "可提高产量{n}%",
    "投资回收期不到{y}年",
    "可在维护和组装环节创造本地就业岗位",
]
FEATURES = [
    "采用本地可采购的零部件制造",
    "经两天培训即可上手操作",
    "可通过手机远程监控",
    "符合国际标准",
    "一周内即可完成安装",
    "适应炎热干燥、多尘的气候",
    "无需接入电网即可运行",
    "可由本地技术人员维护",
]
TITLES = ["用于{use}的{adjective}{thing}", "面向{use}的{adjective}{thing}", "{adjective}{thing}：适用于{use}"]


def render(c: "Concept") -> dict[str, str]:
    things, uses = SECTOR_WORDS.get(c.sector, GENERIC_WORDS)
    thing, use = things[c.thing], uses[c.use]
    benefit_a, benefit_b = (BENEFITS[index].format(n=n, y=y) for index, n, y in c.benefits)
    feature_a, feature_b, feature_c = (FEATURES[index] for index in c.features)
    return {
        "title": TITLES[c.variant % len(TITLES)].format(use=use, adjective=ADJECTIVES[c.adjective], thing=thing),
        "summary": f"该{thing}专为{use}设计，{benefit_a}，并且{feature_a}。",
        "description": (
            f"目前用于{use}的解决方案大多成本高昂、能耗大或依赖进口。本{thing}{benefit_a}，同时{benefit_b}。\n\n"
            f"- {feature_a}\n- {feature_b}\n- {feature_c}\n\n"
            f"已在{c.pilot_sites}个地点试点运行{c.pilot_years}年。"
        ),
        "advantages": f"与传统方案相比，本技术{benefit_b}，并且{feature_c}。",
    }
