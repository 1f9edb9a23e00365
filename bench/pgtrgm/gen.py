# bench/pgtrgm: 100,000 titles for docs/postgres.md (Chinese substring search on PostgreSQL).
# 100,000 task titles in the style of the seed page (监利市 villages, 三张清单 items); deterministic.
import random
random.seed(20220719)
villages = ("三官村 三闾村 下湾村 东港村 何桥村 光明村 兴华村 双河村 合兴村 周沟村 城南村 大兴村 天星村 太和村 "
            "孙家台村 新丰村 新华村 新河口村 新洲村 杨林山村 柳集村 永红村 沙湖村 监北村 红星村 老屋村 袁家台村 "
            "金星村 长江村 韩家埠村 龙湾村 上车湾社区 周老嘴社区 新沟社区 朱河社区 毛市社区 江城社区 汴河社区 "
            "玉沙社区 白螺社区 福田社区 网市社区 荒湖社区 黄歇口社区 河口社区").split()
groups = "一组 二组 三组 四组 五组 六组 七组 八组 九组 十组".split()
items = ("道路硬化 村道坑洼修补 路灯安装 排水沟清淤 危桥改造 自来水增压 水质检测 变压器增容 电杆扶正 下水道疏通 "
         "公厕保洁 垃圾清运 河道清淤 堤防加固 农田灌溉渠修复 泵站维修 安全饮水 村部维修 卫生室改造 "
         "学校门口交通安全 低保复核 医保缴费咨询 养老金发放 危房改造 土地确权纠纷 邻里纠纷调解 "
         "秸秆禁烧宣传 防汛物资储备 广场舞噪音 农资价格咨询 村口河口护坡 渡口码头改造").split()
random.shuffle(items)
n = 100000
with open("/tmp/pgtrgm-titles.tsv", "w") as f:
    c2 = c3 = c4 = 0
    for i in range(1, n + 1):
        t = random.choice(villages) + random.choice(groups) + random.choice(items)
        if random.random() < 0.3:
            t += random.choice(("，群众反映强烈", "，雨天出行不便", "，已多次反映", "，希望尽快解决", "（回访不满意）"))
        f.write(f"{i}\t{t}\n")
        c2 += "河口" in t; c3 += "河口村" in t; c4 += "新河口村道路硬化" in t
print(f"rows {n}; expected: 河口 {c2}, 河口村 {c3}, 新河口村道路硬化 {c4}")
